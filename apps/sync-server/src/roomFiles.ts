import { isValidRoomName } from '@chainmap/board'
import * as Y from 'yjs'
import { openStorage } from './backends.js'
import type { Settings } from './env.js'
import { encodeStoredRoom } from './storage/encodeStoredRoom.js'

function checkRoom(room: string): void {
  if (!isValidRoomName(room)) throw new Error(`invalid room name: ${JSON.stringify(room)}`)
}

/** Reads a room's stored state (SQLite data folder or `DATABASE_URL`) as one Yjs update (a backup file). */
export async function exportRoom(settings: Settings, room: string): Promise<Uint8Array> {
  checkRoom(room)
  // Read-only: the server may be running, and its journal is its own to recover and clear.
  const storage = openStorage(settings, { readOnly: true })
  try {
    return encodeStoredRoom(await storage.load(room))
  } finally {
    await storage.close()
  }
}

/**
 * Replaces a room's stored state with `state` (a snapshot from `GET /api/rooms/<room>/snapshot` or
 * `chainmap-sync export`). Validates it first. Run it while the server is stopped: a running server
 * keeps the room's old state in memory.
 */
export async function restoreRoom(
  settings: Settings,
  room: string,
  state: Uint8Array,
): Promise<void> {
  checkRoom(room)
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, state)
  } catch (error) {
    throw new Error(`not a Yjs snapshot: ${(error as Error).message}`)
  }
  doc.destroy()
  const storage = openStorage(settings)
  try {
    await storage.replace(room, state)
  } finally {
    await storage.close()
  }
}
