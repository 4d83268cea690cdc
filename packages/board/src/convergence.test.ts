import { createShapeId, type TLRecord } from '@tldraw/tlschema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { createPeer, edit, type Peer } from '../test/peers.js'
import { Wire } from '../test/Wire.js'
import { defaultBoardSchema } from './defaultBoardSchema.js'
import { readBoardRecords } from './doc/boardRecords.js'
import { chainmapShapeRecord } from './shapes/chainmapShapeRecord.js'
import {
  defaultProductShapeProps,
  PRODUCT_SHAPE_TYPE,
  type ProductShape,
} from './shapes/productShape.js'

const ids = [0, 1, 2, 3].map((n) => createShapeId(`product:p${n}`))

interface PeerOp {
  kind: 'create' | 'delete' | 'undo' | 'move' | 'churn' | 'appeal' | 'rename'
  peer: number
  shape: number
  value: number
}
interface WireOp {
  kind: 'cut' | 'reconnect'
  wire: number
}
type Op = PeerOp | WireOp

const peerOp = fc.record({ peer: fc.nat(2), shape: fc.nat(3) })
const opArb: fc.Arbitrary<Op> = fc.oneof(
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

function documentShapes(records: Iterable<TLRecord>): TLRecord[] {
  return [...records].filter((r) => r.typeName === 'shape').sort((a, b) => (a.id < b.id ? -1 : 1))
}

function apply(op: Op, peers: Peer[], undos: Y.UndoManager[], wires: Wire[]): void {
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

describe('convergence of three collaborators', () => {
  it('ends with identical docs and stores mirroring them, whatever the edits and outages', () => {
    const seed = Number(process.env.CHAINMAP_TEST_SEED ?? Date.now() % 2 ** 31)
    console.log(`convergence: fast-check seed ${seed} (CHAINMAP_TEST_SEED=${seed} to replay)`)
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const a = createPeer()
        const b = createPeer(a.doc)
        const c = createPeer(b.doc)
        const peers = [a, b, c]
        const wires = [new Wire(a.doc, b.doc), new Wire(b.doc, c.doc)]
        const undos = peers.map((p) => p.binding.createUndoManager({ captureTimeout: 0 }))
        for (const op of ops) apply(op, peers, undos, wires)
        for (const wire of wires) wire.reconnect()

        const reference = a.doc.getMap('records').toJSON()
        for (const peer of peers) {
          expect(peer.doc.getMap('records').toJSON()).toEqual(reference)
          expect(documentShapes(peer.store.allRecords())).toEqual(
            documentShapes(readBoardRecords(peer.doc, defaultBoardSchema())),
          )
        }
        for (const undo of undos) undo.destroy()
      }),
      { numRuns: 150, seed },
    )
  })
})
