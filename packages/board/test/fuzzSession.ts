import { createShapeId, type TLRecord } from '@tldraw/tlschema'
import fc from 'fast-check'
import { expect } from 'vitest'
import type * as Y from 'yjs'
import { defaultBoardSchema } from '../src/defaultBoardSchema.js'
import { readBoardRecords } from '../src/doc/boardRecords.js'
import { chainmapShapeRecord } from '../src/shapes/chainmapShapeRecord.js'
import {
  defaultProductShapeProps,
  PRODUCT_SHAPE_TYPE,
  type ProductShape,
} from '../src/shapes/productShape.js'
import { createPeer, edit, type Peer } from './peers.js'
import { Wire } from './Wire.js'

/** The product shape ids the fuzzed edits pick from. */
export const ids = [0, 1, 2, 3].map((n) => createShapeId(`product:p${n}`))

/** An edit by one collaborator. */
export interface PeerOp {
  kind: 'create' | 'delete' | 'undo' | 'move' | 'churn' | 'appeal' | 'rename'
  peer: number
  shape: number
  value: number
}
/** A connection going down or up. */
export interface WireOp {
  kind: 'cut' | 'reconnect'
  wire: number
}
/** One step of a fuzzed session. */
export type Op = PeerOp | WireOp

const peerOp = fc.record({ peer: fc.nat(2), shape: fc.nat(3) })
/** Random session steps. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  peerOp.map((o) => ({ ...o, kind: 'create' as const, value: 0 })),
  peerOp.map((o) => ({ ...o, kind: 'delete' as const, value: 0 })),
  peerOp.map((o) => ({ ...o, kind: 'undo' as const, value: 0 })),
  fc
    .tuple(peerOp, fc.integer({ min: -500, max: 500 }))
    .map(([o, value]) => ({ ...o, kind: 'move' as const, value })),
  fc
    .tuple(peerOp, fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([o, value]) => ({ ...o, kind: 'churn' as const, value })),
  fc
    .tuple(peerOp, fc.double({ min: 0.1, max: 5, noNaN: true }))
    .map(([o, value]) => ({ ...o, kind: 'appeal' as const, value })),
  fc.tuple(peerOp, fc.nat(99)).map(([o, value]) => ({ ...o, kind: 'rename' as const, value })),
  fc.nat(1).map((wire) => ({ kind: 'cut' as const, wire })),
  fc.nat(1).map((wire) => ({ kind: 'reconnect' as const, wire })),
)

/** The shapes among `records`, sorted by id. */
export function documentShapes(records: Iterable<TLRecord>): TLRecord[] {
  return [...records].filter((r) => r.typeName === 'shape').sort((a, b) => (a.id < b.id ? -1 : 1))
}

/** Perform `op` on the collaborators. */
export function apply(op: Op, peers: Peer[], undos: Y.UndoManager[], wires: Wire[]): void {
  if (!('peer' in op)) {
    const wire = wires[op.wire]!
    if (op.kind === 'cut') wire.cut()
    else wire.reconnect()
    return
  }
  const peer = peers[op.peer]!
  const id = ids[op.shape]!
  const exists = peer.store.has(id)
  switch (op.kind) {
    case 'create':
      if (!exists) {
        peer.store.put([
          chainmapShapeRecord(PRODUCT_SHAPE_TYPE, id, {
            ...defaultProductShapeProps(),
            name: `p${op.shape}@${op.peer}`,
          }),
        ])
      }
      break
    case 'delete':
      if (exists) peer.store.remove([id])
      break
    case 'undo':
      undos[op.peer]!.undo()
      break
    case 'move':
      if (exists) edit<ProductShape>(peer.store, id, (r) => ({ ...r, x: op.value }))
      break
    case 'rename':
      if (exists) {
        edit<ProductShape>(peer.store, id, (r) => ({
          ...r,
          props: { ...r.props, name: `n${op.value}` },
        }))
      }
      break
    default:
      if (exists) {
        edit<ProductShape>(peer.store, id, (r) => ({
          ...r,
          props: { ...r.props, [op.kind]: op.value },
        }))
      }
  }
  undos[op.peer]!.stopCapturing()
}

/** Three collaborators in a line (a – b – c), each with its own undo manager. */
export function threePeers() {
  const a = createPeer()
  const b = createPeer(a.doc)
  const c = createPeer(b.doc)
  const peers = [a, b, c]
  const wires = [new Wire(a.doc, b.doc), new Wire(b.doc, c.doc)]
  const undos = peers.map((p) => p.binding.createUndoManager({ captureTimeout: 0 }))
  return { peers, wires, undos }
}

/** Every doc holds the same records, and every store mirrors its doc. */
export function expectConverged(peers: Peer[]): void {
  const reference = peers[0]!.doc.getMap('records').toJSON()
  for (const peer of peers) {
    expect(peer.doc.getMap('records').toJSON()).toEqual(reference)
    expect(documentShapes(peer.store.allRecords())).toEqual(
      documentShapes(readBoardRecords(peer.doc, defaultBoardSchema())),
    )
  }
}

/** The fast-check seed: `CHAINMAP_TEST_SEED`, or a fresh one; printed so a failure can be replayed. */
export function fuzzSeed(label: string): number {
  const seed = Number(process.env.CHAINMAP_TEST_SEED ?? Date.now() % 2 ** 31)
  console.log(`${label}: fast-check seed ${seed} (CHAINMAP_TEST_SEED=${seed} to replay)`)
  return seed
}
