import { checkBoardSchema, isValidRoomName } from '@chainmap/board'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { openStorage } from './backends.js'
import { CloseCodes } from './closeCodes.js'
import { checkUpdateContent } from './content/checkUpdateContent.js'
import type { Settings } from './env.js'
import { SyncError } from './SyncError.js'
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
 * `chainmap-sync export`). Validates it whole first (see {@link checkBackup}): nothing is replaced
 * unless the file is one complete board. Run it while the server is stopped: a running server
 * keeps the room's old state in memory.
 */
export async function restoreRoom(
  settings: Settings,
  room: string,
  state: Uint8Array,
): Promise<void> {
  checkRoom(room)
  checkBackup(state, room)
  const storage = openStorage(settings)
  try {
    await storage.replace(room, state)
  } finally {
    await storage.close()
  }
}

function invalidBackup(room: string, detail: string): SyncError {
  return new SyncError(
    'invalid-backup',
    `refused to restore room ${room}: ${detail}; nothing was changed`,
    CloseCodes.badRequest,
  )
}

/**
 * Throws a {@link SyncError} (`invalid-backup`) unless `state` is exactly one Yjs update holding
 * a whole, non-empty board the server can serve: no bytes after it, no edits it refers to without
 * holding them, no content the server refuses, no board format newer than this server's.
 */
export function checkBackup(state: Uint8Array, room: string): void {
  if (state.byteLength === 0) throw invalidBackup(room, 'the file is empty')
  const decoder = decoding.createDecoder(state)
  const doc = new Y.Doc()
  try {
    try {
      Y.readUpdate(decoder, doc, null)
    } catch (error) {
      throw invalidBackup(room, `the file is not a Yjs snapshot (${(error as Error).message})`)
    }
    const trailing = state.byteLength - decoder.pos
    if (trailing > 0) {
      throw invalidBackup(
        room,
        `${trailing} of its ${state.byteLength} bytes follow the snapshot and are not part of it`,
      )
    }
    try {
      checkUpdateContent(state, 'backup')
    } catch (error) {
      throw invalidBackup(room, (error as Error).message)
    }
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      throw invalidBackup(
        room,
        'the file refers to edits it does not hold: it is a fragment, not a whole board',
      )
    }
    if (doc.store.clients.size === 0) {
      throw invalidBackup(
        room,
        'the file holds an empty board, and restoring it would erase the room',
      )
    }
    const board = checkBoardSchema(doc)
    if (!board.ok) throw invalidBackup(room, `the board cannot be served: ${board.reason}`)
  } finally {
    doc.destroy()
  }
}
