import * as Y from 'yjs'
import type { StoredRoom } from './storage.js'

/**
 * Folds a room's stored snapshot and updates into one Yjs update (a backup, or the state of a
 * room that is not loaded). Applied to a document rather than merged with `Y.mergeUpdates`, so the
 * result is the same encoding a loaded room produces.
 */
export function encodeStoredRoom(stored: StoredRoom): Uint8Array {
  const doc = new Y.Doc()
  try {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const update of stored.updates) Y.applyUpdate(doc, update)
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}
