import type { TLRecord, TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { BoardBinding, type BoardBindingOptions } from '../src/BoardBinding.js'
import { createBoardStore } from '../src/createBoardStore.js'

/** A store with tldraw's document, page and session records, as an editor would leave it. */
export function usableStore(): TLStore {
  const store = createBoardStore()
  // mergeRemoteChanges runs tldraw's integrity check afterwards, which creates the default records.
  store.mergeRemoteChanges(() => {})
  return store
}

/** One collaborator: a store bound to its own doc. */
export interface Peer {
  store: TLStore
  doc: Y.Doc
  binding: BoardBinding
}

/** A new collaborator whose doc starts as a copy of `from` (if given). */
export function createPeer(
  from?: Y.Doc,
  options: Partial<Omit<BoardBindingOptions, 'store' | 'doc'>> = {},
): Peer {
  const doc = new Y.Doc()
  if (from) Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  const store = usableStore()
  const binding = new BoardBinding({ store, doc, ...options })
  return { store, doc, binding }
}

/** The store's records of a given id, for concise assertions. */
export function recordOf<R extends TLRecord>(store: TLStore, id: R['id']): R {
  const record = store.get(id)
  if (!record) throw new Error(`no record ${id} in the store`)
  return record as unknown as R
}

/** Replace the record `id` by `edit(record)`, as a local (user) change. */
export function edit<R extends TLRecord>(
  store: TLStore,
  id: R['id'],
  change: (record: R) => R,
): void {
  store.put([change(recordOf<R>(store, id))])
}
