import { describe, expect, it } from 'vitest'
import type { Model } from '../model/types.js'
import { simulate } from '../simulate.js'
import { product } from '../testing/fixtures.js'

function board(lockIn: number): Model {
  return {
    version: 1,
    population: 1_000_000,
    horizonDays: 120,
    stepDays: 1,
    seed: 1,
    networkEffect: 0.7,
    ecosystemPull: 0,
    companies: [
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ],
    markets: [
      { id: 'm', name: 'M', reach: 700_000, p: 0.004, q: 0.09 },
      { id: 'n', name: 'N', reach: 400_000, p: 0.002, q: 0.05 },
    ],
    products: [
      product('x', { churn: 0.01, initialUsers: 10_000 }),
      product('y', { company: 'b', appeal: 0.7, churn: 0.02, launchDay: 15 }),
      product('z', { market: 'n', churn: 0.005, launchDay: 5, initialUsers: 1000 }),
    ],
    links: [{ from: 'x', to: 'z', funnel: 0, lockIn }],
  }
}

describe('isolated markets', () => {
  it('give the same result factored out as carried in the joint distribution', () => {
    // lockIn 0: both markets are isolated factors. A vanishing lock-in joins them in the joint
    // state without changing any probability beyond 1e-12.
    const factored = simulate(board(0))
    const joint = simulate(board(1e-12))
    for (const id of ['x', 'y', 'z']) {
      const a = factored.products[id]!
      const b = joint.products[id]!
      for (let k = 0; k < a.users.length; k++) {
        expect(Math.abs(a.users[k]! - b.users[k]!)).toBeLessThan(1e-6)
        expect(Math.abs(a.churned[k]! - b.churned[k]!)).toBeLessThan(1e-6)
        expect(Math.abs(a.adoptedOrganic[k]! - b.adoptedOrganic[k]!)).toBeLessThan(1e-6)
      }
    }
    for (const id of ['a', 'b']) {
      const a = factored.companies[id]!
      const b = joint.companies[id]!
      for (let k = 0; k < a.users.length; k++) {
        expect(Math.abs(a.users[k]! - b.users[k]!)).toBeLessThan(1e-6)
        expect(Math.abs(a.depth[k]! - b.depth[k]!)).toBeLessThan(1e-9)
      }
    }
    expect(factored.companies.a!.depth[100]).toBeGreaterThan(1)
  })
})
