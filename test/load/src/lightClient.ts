import { MessageType, SyncMessageType } from '@chainmap/sync-server'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import type { ServerKind } from './jobs.js'

/** A cursor position a bench client sends: whose it is, its count so far, and when it was sent. */
export interface Cursor {
  /** The sending client's key (its process tag and index). */
  readonly key: string
  /** The sender's count of measured updates so far (0 while warming up). */
  readonly n: number
  /** `performance.now()` in the sender's process when sent. */
  readonly t: number
}

/** A bench client that sends and receives cursors, stock or light. */
export interface CursorClient {
  /** Whether the initial sync with the server finished. */
  synced(): boolean
  /** Sets this client's cursor in the shared document (one small Yjs update). */
  sendCursor(cursor: Cursor): void
  /** Called for every cursor of another client this one receives, in the order sent. */
  onCursor(listener: (cursor: Cursor) => void): void
  destroy(): void
}

// Hocuspocus's own numbers beside the y-websocket ones: a "sync reply" answers a client's step 1
// without asking anything back, and its auth message carries a token sub-type (there is no token).
const HOCUSPOCUS_SYNC_REPLY = 4
const HOCUSPOCUS_AUTH_TOKEN = 0

const MARK = 'cm!'
const MARK_BYTES = Buffer.from(MARK)
const END = '!'.charCodeAt(0)

/** The cursor as the string a light client writes: found again in relayed bytes, never parsed as Yjs. */
export function cursorText(cursor: Cursor): string {
  return `${MARK}${cursor.key}!${cursor.n}!${cursor.t}!`
}

/** Every cursor string in a frame, in order (a server may merge several updates into one frame). */
export function cursorsIn(frame: Buffer, found: (cursor: Cursor) => void): void {
  let at = frame.indexOf(MARK_BYTES)
  while (at !== -1) {
    const fields: string[] = []
    let start = at + MARK_BYTES.length
    for (let i = 0; i < 3; i++) {
      const end = frame.indexOf(END, start)
      if (end === -1) return
      fields.push(frame.toString('latin1', start, end))
      start = end + 1
    }
    const [key, n, t] = fields as [string, string, string]
    found({ key, n: Number(n), t: Number(t) })
    at = frame.indexOf(MARK_BYTES, start)
  }
}

/**
 * A client that speaks the sync protocol over a raw `ws` socket but never applies what it receives
 * to a Y.Doc: it finds the cursor strings in the relayed bytes instead. It costs the client
 * process a fraction of a stock client, so two client processes can drive the servers past their
 * limits in the sustained-rate ramp. The server's side of the conversation is exactly what a stock
 * client causes: the same handshake, the same Yjs updates (made by a real Y.Doc holding only this
 * client's own writes, which is all its updates refer to).
 */
export function lightClient(server: ServerKind, url: string, room: string): CursorClient {
  const doc = new Y.Doc()
  const cursors = doc.getMap<string>('cursor')
  const listeners: ((cursor: Cursor) => void)[] = []
  // Hocuspocus multiplexes documents over one socket: each message starts with the document name.
  const hocuspocus = server === 'hocuspocus'
  const socket = new WebSocket(hocuspocus ? url : `${url}/${room}`)
  socket.binaryType = 'nodebuffer'
  let synced = false

  const frame = (write: (encoder: encoding.Encoder) => void): Uint8Array => {
    const encoder = encoding.createEncoder()
    if (hocuspocus) encoding.writeVarString(encoder, room)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }
  const send = (message: Uint8Array) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(message)
  }
  const syncMessage = (type: number, payload: Uint8Array) =>
    frame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.sync)
      encoding.writeVarUint(encoder, type)
      encoding.writeVarUint8Array(encoder, payload)
    })

  doc.on('update', (update: Uint8Array) => send(syncMessage(SyncMessageType.update, update)))

  socket.on('open', () => {
    if (hocuspocus) {
      send(
        frame((encoder) => {
          encoding.writeVarUint(encoder, MessageType.auth)
          encoding.writeVarUint(encoder, HOCUSPOCUS_AUTH_TOKEN)
          encoding.writeVarString(encoder, '')
        }),
      )
    }
    send(syncMessage(SyncMessageType.step1, Y.encodeStateVector(doc)))
  })

  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(data)
    if (hocuspocus) decoding.readVarString(decoder)
    const kind = decoding.readVarUint(decoder)
    if (kind !== MessageType.sync && kind !== HOCUSPOCUS_SYNC_REPLY) return
    const type = decoding.readVarUint(decoder)
    if (type === SyncMessageType.step1) {
      // The server asks for what we have that it lacks: only ever this client's own writes.
      send(
        syncMessage(
          SyncMessageType.step2,
          Y.encodeStateAsUpdate(doc, decoding.readVarUint8Array(decoder)),
        ),
      )
    } else if (type === SyncMessageType.step2) {
      synced = true
    } else if (type === SyncMessageType.update) {
      cursorsIn(data, (cursor) => {
        for (const listener of listeners) listener(cursor)
      })
    }
  })
  socket.on('error', () => {})

  return {
    synced: () => synced,
    sendCursor: (cursor) => cursors.set(cursor.key, cursorText(cursor)),
    onCursor: (listener) => listeners.push(listener),
    destroy: () => {
      socket.close()
      doc.destroy()
    },
  }
}
