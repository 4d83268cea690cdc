import * as encoding from 'lib0/encoding'
import { writeAwarenessEntries } from '../protocol/awarenessEntries.js'
import { writeAwareness } from '../protocol/messages.js'

/** JSON text of arrays nested `depth` deep (`[[[…1…]]]`): small on the wire, deep once parsed. */
export function nestedJson(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`
}

/** A value of arrays nested `depth` deep. */
export function nestedValue(depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

// One item set at `key` of the root map `root`, its content written by `writeContent`.
function mapItemUpdate(
  clientId: number,
  root: string,
  key: string,
  contentRef: number,
  writeContent: (e: encoding.Encoder) => void,
): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // clients
  encoding.writeVarUint(e, 1) // structs of that client
  encoding.writeVarUint(e, clientId)
  encoding.writeVarUint(e, 0) // first clock
  encoding.writeUint8(e, 0x20 | contentRef) // has a parentSub
  encoding.writeVarUint(e, 1) // the parent is a root type named by…
  encoding.writeVarString(e, root)
  encoding.writeVarString(e, key)
  writeContent(e)
  encoding.writeVarUint(e, 0) // empty delete set
  return encoding.toUint8Array(e)
}

/**
 * A hand-encoded Yjs update (v1) of one item holding legacy `ContentJSON` (which current Yjs
 * reads but never writes), set at `key` of the root map `root`.
 */
export function legacyJsonUpdate(
  clientId: number,
  root: string,
  key: string,
  json: string,
): Uint8Array {
  return mapItemUpdate(clientId, root, key, 2, (e) => {
    encoding.writeVarUint(e, 1) // one JSON value
    encoding.writeVarString(e, json)
  })
}

/**
 * A hand-encoded Yjs update (v1) setting `key` of the root map `root` to arrays nested `depth`
 * deep, as current Yjs would write them (`ContentAny`) if its encoder did not run out of stack.
 */
export function deepAnyUpdate(
  clientId: number,
  root: string,
  key: string,
  depth: number,
): Uint8Array {
  return mapItemUpdate(clientId, root, key, 8, (e) => {
    encoding.writeVarUint(e, 1) // one value
    for (let i = 0; i < depth; i++) {
      encoding.writeUint8(e, 117) // lib0 any: an array…
      encoding.writeVarUint(e, 1) // …of one element
    }
    encoding.writeUint8(e, 125) // lib0 any: an integer
    encoding.writeVarInt(e, 1)
  })
}

/** An awareness frame setting `state` (JSON text) for each client id at `clock`. */
export function presenceFrame(
  clientIds: readonly number[],
  clock: number,
  json: string,
): Uint8Array {
  return writeAwareness(
    writeAwarenessEntries(
      clientIds.map((clientId) => ({ clientId, clock, json, state: undefined })),
    ),
  )
}
