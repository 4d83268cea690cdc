import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { CloseCodes } from '../closeCodes.js'
import { checkUpdateContent } from '../content/checkUpdateContent.js'
import { SyncError } from '../SyncError.js'
import { type AwarenessEntry, readAwarenessEntries } from './awarenessEntries.js'
import { AuthMessageType, MessageType, SyncMessageType } from './messageTypes.js'

/** One decoded y-websocket frame. */
export type ProtocolMessage =
  | { readonly type: 'syncStep1'; readonly stateVector: Uint8Array }
  | { readonly type: 'syncStep2'; readonly update: Uint8Array; readonly items: number }
  | { readonly type: 'update'; readonly update: Uint8Array; readonly items: number }
  | { readonly type: 'awareness'; readonly entries: readonly AwarenessEntry[] }
  | { readonly type: 'queryAwareness' }
  | { readonly type: 'permissionDenied'; readonly reason: string }

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function syncFrame(
  subtype: (typeof SyncMessageType)[keyof typeof SyncMessageType],
  payload: Uint8Array,
): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.sync)
    encoding.writeVarUint(e, subtype)
    encoding.writeVarUint8Array(e, payload)
  })
}

/** Writes a sync step 1 frame carrying `stateVector`. Read back by {@link readMessage}. */
export function writeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return syncFrame(SyncMessageType.step1, stateVector)
}

/** Writes a sync step 2 frame carrying `update`. Read back by {@link readMessage}. */
export function writeSyncStep2(update: Uint8Array): Uint8Array {
  return syncFrame(SyncMessageType.step2, update)
}

/** Writes a sync update frame carrying `update`. Read back by {@link readMessage}. */
export function writeUpdate(update: Uint8Array): Uint8Array {
  return syncFrame(SyncMessageType.update, update)
}

/** Writes an awareness frame carrying an encoded awareness update. Read back by {@link readMessage}. */
export function writeAwareness(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.awareness)
    encoding.writeVarUint8Array(e, update)
  })
}

/** Writes a query-awareness frame. Read back by {@link readMessage}. */
export function writeQueryAwareness(): Uint8Array {
  return frame((e) => encoding.writeVarUint(e, MessageType.queryAwareness))
}

/** Writes an auth permission-denied frame with a human-readable `reason`. Read back by {@link readMessage}. */
export function writePermissionDenied(reason: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.auth)
    encoding.writeVarUint(e, AuthMessageType.permissionDenied)
    encoding.writeVarString(e, reason)
  })
}

function malformed(detail: string): SyncError {
  return new SyncError('malformed-frame', `malformed frame: ${detail}`, CloseCodes.badRequest)
}

function readPayload(decoder: decoding.Decoder, what: string): Uint8Array {
  let payload: Uint8Array
  try {
    payload = decoding.readVarUint8Array(decoder)
  } catch {
    throw malformed(`truncated or bad length in ${what} payload`)
  }
  // readVarUint8Array returns a view into the underlying buffer, which may be larger than the
  // frame (pooled Node buffers): a length past the frame's end must not read a neighbour's bytes.
  if (decoder.pos > decoder.arr.length) throw malformed(`${what} payload length past end of frame`)
  if (decoding.hasContent(decoder)) throw malformed(`trailing bytes after ${what} payload`)
  return payload
}

function readType(decoder: decoding.Decoder, what: string): number {
  try {
    return decoding.readVarUint(decoder)
  } catch {
    throw malformed(`bad varint for ${what}`)
  }
}

function readUpdate(update: Uint8Array, what: string): { update: Uint8Array; items: number } {
  return { update, items: checkUpdateContent(update, what) }
}

function checkStateVector(stateVector: Uint8Array): Uint8Array {
  try {
    const decoder = decoding.createDecoder(stateVector)
    Y.decodeStateVector(stateVector)
    // decodeStateVector ignores trailing garbage; a real state vector is consumed exactly.
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  } catch (error) {
    throw malformed(`bad state vector in sync step 1: ${(error as Error).message}`)
  }
  return stateVector
}

function readAwareness(update: Uint8Array): AwarenessEntry[] {
  try {
    return readAwarenessEntries(update)
  } catch (error) {
    throw new SyncError(
      'corrupt-awareness',
      `corrupt awareness update: ${(error as Error).message}`,
      CloseCodes.badRequest,
    )
  }
}

/**
 * Whether a frame carries a document update (sync step 2 or update), read from its first two
 * varints without decoding the rest: a view-only connection's edits are dropped unread.
 */
export function isDocumentUpdateFrame(frameBytes: Uint8Array): boolean {
  // Read as lib0 reads them: a varint may be written in more bytes than it needs.
  try {
    const decoder = decoding.createDecoder(frameBytes)
    if (decoding.readVarUint(decoder) !== MessageType.sync) return false
    const syncType = decoding.readVarUint(decoder)
    return syncType === SyncMessageType.step2 || syncType === SyncMessageType.update
  } catch {
    return false
  }
}

/**
 * Decodes and validates one binary frame: the single dispatcher of the protocol. Unknown message
 * types, bad varints, truncated payloads, trailing bytes and undecodable Yjs or awareness payloads
 * are rejected with a {@link SyncError} naming the frame.
 */
export function readMessage(frameBytes: Uint8Array): ProtocolMessage {
  if (frameBytes.length === 0) throw malformed('empty frame')
  // An own copy: payloads become views of exactly this frame, never of a larger pooled buffer.
  const decoder = decoding.createDecoder(new Uint8Array(frameBytes))
  const type = readType(decoder, 'message type')
  switch (type) {
    case MessageType.sync: {
      const syncType = readType(decoder, 'sync message type')
      switch (syncType) {
        case SyncMessageType.step1:
          return {
            type: 'syncStep1',
            stateVector: checkStateVector(readPayload(decoder, 'sync step 1')),
          }
        case SyncMessageType.step2:
          return {
            type: 'syncStep2',
            ...readUpdate(readPayload(decoder, 'sync step 2'), 'sync step 2'),
          }
        case SyncMessageType.update:
          return {
            type: 'update',
            ...readUpdate(readPayload(decoder, 'sync update'), 'sync update'),
          }
        default:
          throw new SyncError(
            'unknown-message-type',
            `unknown sync message type ${syncType}`,
            CloseCodes.badRequest,
          )
      }
    }
    case MessageType.awareness:
      return { type: 'awareness', entries: readAwareness(readPayload(decoder, 'awareness')) }
    case MessageType.queryAwareness:
      if (decoding.hasContent(decoder)) throw malformed('trailing bytes after query-awareness')
      return { type: 'queryAwareness' }
    case MessageType.auth: {
      const authType = readType(decoder, 'auth message type')
      if (authType !== AuthMessageType.permissionDenied) {
        throw new SyncError(
          'unknown-message-type',
          `unknown auth message type ${authType}`,
          CloseCodes.badRequest,
        )
      }
      let reason: string
      try {
        reason = decoding.readVarString(decoder)
      } catch {
        throw malformed('bad permission-denied reason')
      }
      if (decoder.pos > decoder.arr.length) throw malformed('reason length past end of frame')
      if (decoding.hasContent(decoder)) throw malformed('trailing bytes after permission-denied')
      return { type: 'permissionDenied', reason }
    }
    default:
      throw new SyncError(
        'unknown-message-type',
        `unknown message type ${type}`,
        CloseCodes.badRequest,
      )
  }
}
