import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** One client's presence in an awareness update, as y-protocols encodes it. */
export interface AwarenessEntry {
  /** The Yjs client id the state belongs to. */
  readonly clientId: number
  /** The state's version; a higher one replaces a lower. */
  readonly clock: number
  /** The state as JSON text, exactly as received. */
  readonly json: string
  /** The state parsed (`null` when the client left). */
  readonly state: unknown
}

/**
 * Reads the entries of an encoded awareness update (`encodeAwarenessUpdate`'s format); throws on
 * a bad varint, truncated text, text that is not JSON or trailing bytes. Written back by
 * {@link writeAwarenessEntries}.
 */
export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    if (decoder.pos > decoder.arr.length) throw new Error('state length past end of update')
    entries.push({ clientId, clock, json, state: JSON.parse(json) })
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  return entries
}

/** Encodes `entries` as an awareness update that `applyAwarenessUpdate` reads. */
export function writeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.json)
  }
  return encoding.toUint8Array(encoder)
}
