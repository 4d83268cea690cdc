import fc from 'fast-check'
import { describe, it } from 'vitest'
import { apply, expectConverged, fuzzSeed, opArb, threePeers } from '../test/fuzzSession.js'

describe('convergence of three collaborators', () => {
  it('ends with identical docs and stores mirroring them, whatever the edits and outages', () => {
    const seed = fuzzSeed('convergence')
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const { peers, wires, undos } = threePeers()
        for (const op of ops) apply(op, peers, undos, wires)
        for (const wire of wires) wire.reconnect()
        expectConverged(peers)
        for (const undo of undos) undo.destroy()
      }),
      { numRuns: 150, seed },
    )
  })
})
