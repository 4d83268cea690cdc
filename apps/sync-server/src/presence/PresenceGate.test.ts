import { describe, expect, it } from 'vitest'
import type { AwarenessEntry } from '../protocol/awarenessEntries.js'
import { SyncError } from '../SyncError.js'
import { nestedValue } from '../testkit/hostile.js'
import { PresenceGate } from './PresenceGate.js'

const limits = { maxStateBytes: 100, maxClientsPerConnection: 2 }

function entry(clientId: number, state: unknown, clock = 1): AwarenessEntry {
  return { clientId, clock, state, json: JSON.stringify(state) }
}

function refusal(run: () => unknown): string {
  try {
    run()
    return 'admitted'
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError)
    return (error as SyncError).message
  }
}

describe('PresenceGate', () => {
  it("drops entries for ids another owner holds (the stock client's echoes, or a spoof)", () => {
    const gate = new PresenceGate(limits)
    const alice = {}
    const mallory = {}
    gate.set(alice, [1])
    const admitted = gate.admit(mallory, new Set(), [
      entry(1, { name: 'mallory' }, 99),
      entry(2, {}),
    ])
    expect(admitted.map((e) => e.clientId)).toEqual([2])
    expect(gate.admit(alice, new Set([1]), [entry(1, { name: 'alice' }, 2)])).toHaveLength(1)
  })

  it('frees an id once its state is removed, and says who held it', () => {
    const gate = new PresenceGate(limits)
    const alice = {}
    gate.set(alice, [1])
    expect([...gate.removed([1, 5])]).toEqual([[1, alice]])
    expect(gate.admit({}, new Set(), [entry(1, {})])).toHaveLength(1)
  })

  it('ignores the removal of a state nobody holds', () => {
    expect(new PresenceGate(limits).admit({}, new Set(), [entry(3, null)])).toEqual([])
  })

  it('refuses more participants per connection than the limit', () => {
    const gate = new PresenceGate(limits)
    expect(refusal(() => gate.admit({}, new Set([1]), [entry(1, {}), entry(2, {})]))).toBe(
      'admitted',
    )
    expect(refusal(() => gate.admit({}, new Set([1, 2]), [entry(3, {})]))).toMatch(
      /at most 2 participants/,
    )
    expect(
      refusal(() => gate.admit({}, new Set(), [entry(1, {}), entry(2, {}), entry(3, {})])),
    ).toMatch(/at most 2 participants/)
  })

  it('bounds the distinct ids one connection claims over its life, not its own id claimed again', () => {
    const gate = new PresenceGate(limits)
    const churner = {}
    // Limit 2 at once, so 8 distinct ids over a connection's life.
    for (let id = 1; id <= 8; id++) {
      gate.admit(churner, new Set(), [entry(id, {})])
      gate.set(churner, [id])
      gate.removed([id])
    }
    expect(refusal(() => gate.admit(churner, new Set(), [entry(9, {})]))).toMatch(
      /may not keep showing new participants/,
    )
    expect(refusal(() => gate.admit(churner, new Set(), [entry(3, {})]))).toBe('admitted')
  })

  it('refuses a state over the size limit or nested too deep, naming the limit', () => {
    const gate = new PresenceGate(limits)
    expect(refusal(() => gate.admit({}, new Set(), [entry(1, { name: 'x'.repeat(200) })]))).toMatch(
      /state of 211 bytes is over the 100-byte limit/,
    )
    const deep = new PresenceGate({ ...limits, maxStateBytes: 10_000 })
    expect(refusal(() => deep.admit({}, new Set(), [entry(1, nestedValue(65))]))).toMatch(
      /nested more than 64 levels/,
    )
    expect(refusal(() => deep.admit({}, new Set(), [entry(1, nestedValue(64))]))).toBe('admitted')
  })
})
