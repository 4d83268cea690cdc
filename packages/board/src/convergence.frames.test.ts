import type { TLPage, TLPageId } from '@tldraw/tlschema'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  apply,
  expectConverged,
  fuzzSeed,
  ids,
  type Op,
  opArb,
  threePeers,
} from '../test/fuzzSession.js'
import { installManualFrames, type ManualFrames } from '../test/manualFrames.js'
import { edit, type Peer, recordOf } from '../test/peers.js'
import type { ProductShape } from './shapes/productShape.js'

let frames: ManualFrames

beforeAll(() => {
  frames = installManualFrames()
})

afterAll(() => {
  frames.uninstall()
})

type FramedOp = Op | { kind: 'frame' }

describe('convergence of three collaborators with per-frame store flushes (as in a browser)', () => {
  it('holds when local edits wait for their frame while remote changes arrive', () => {
    const seed = fuzzSeed('convergence with frames')
    const framedOps: fc.Arbitrary<FramedOp> = fc.oneof(
      { arbitrary: opArb, weight: 3 },
      { arbitrary: fc.constant({ kind: 'frame' as const }), weight: 1 },
    )
    fc.assert(
      fc.property(fc.array(framedOps, { maxLength: 60 }), (ops) => {
        const { peers, wires, undos } = threePeers()
        for (const op of ops) {
          if (op.kind === 'frame') frames.frame()
          else apply(op, peers, undos, wires)
        }
        frames.frame()
        for (const wire of wires) wire.reconnect()
        frames.frame()
        expectConverged(peers)
        for (const undo of undos) undo.destroy()
      }),
      { numRuns: 150, seed },
    )
  })

  it('keeps every person’s last edit when each edits a different property', () => {
    const seed = fuzzSeed('per-property intent with frames')
    // peer 0 moves the product, peer 1 sets its churn, peer 2 its appeal; links go down and up
    const step = fc.oneof(
      fc.record({ peer: fc.nat(2), value: fc.integer({ min: 1, max: 1000 }) }),
      fc.constantFrom(
        'frame' as const,
        'cut0' as const,
        'cut1' as const,
        'up0' as const,
        'up1' as const,
      ),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), (steps) => {
        const { peers, wires, undos } = threePeers()
        const id = ids[0]!
        apply({ kind: 'create', peer: 0, shape: 0, value: 0 }, peers, undos, wires)
        frames.frame()
        const last = { x: 0, churn: 0.001, appeal: 1 }
        for (const s of steps) {
          if (s === 'frame') frames.frame()
          else if (s === 'cut0' || s === 'cut1') wires[Number(s.slice(3))]!.cut()
          else if (s === 'up0' || s === 'up1') wires[Number(s.slice(2))]!.reconnect()
          else {
            const peer = peers[s.peer]!
            if (s.peer === 0) last.x = s.value
            if (s.peer === 1) last.churn = s.value / 1000
            if (s.peer === 2) last.appeal = s.value / 100
            edit<ProductShape>(peer.store, id, (r) => {
              if (s.peer === 0) return { ...r, x: s.value }
              if (s.peer === 1) return { ...r, props: { ...r.props, churn: last.churn } }
              return { ...r, props: { ...r.props, appeal: last.appeal } }
            })
          }
        }
        frames.frame()
        for (const wire of wires) wire.reconnect()
        frames.frame()
        expectConverged(peers)
        for (const peer of peers) {
          const shape = recordOf<ProductShape>(peer.store, id)
          expect([shape.x, shape.props.churn, shape.props.appeal]).toEqual([
            last.x,
            last.churn,
            last.appeal,
          ])
        }
      }),
      { numRuns: 150, seed },
    )
  })

  it('really defers listeners to the next frame here', () => {
    const { peers } = threePeers()
    const [a, b] = peers as [Peer, Peer]
    const pageId = 'page:page' as TLPageId
    edit<TLPage>(a.store, pageId, (page) => ({ ...page, name: 'Later' }))
    expect(recordOf<TLPage>(b.store, pageId).name).not.toBe('Later')
    frames.frame()
    expect(recordOf<TLPage>(b.store, pageId).name).toBe('Later')
  })
})
