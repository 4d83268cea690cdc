import { describe, expect, it } from 'vitest'
import type { SimulationResult } from '../result/SimulationResult.js'
import { combineRuns } from './combineRuns.js'

function run(users: number[], lifetime: number[]): SimulationResult {
  const series = (values: number[]) => Float64Array.from(values)
  return {
    engine: 'agents',
    runs: 1,
    days: series([0, 1]),
    products: { x: { users: series(users), expectedLifetime: series(lifetime) } },
    markets: { m: { users: series(users) } },
    companies: {},
    links: {},
  } as unknown as SimulationResult
}

describe('combineRuns', () => {
  it('gives the mean with interpolated p10/p50/p90 per entry', () => {
    const runs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => run([v, 10 * v], [1, 1]))
    const combined = combineRuns(runs)
    const users = combined.markets.m!
    expect(Array.from(users.users)).toEqual([5, 50])
    expect(Array.from(users.p10!.users)).toEqual([1, 10])
    expect(Array.from(users.p50!.users)).toEqual([5, 50])
    expect(Array.from(users.p90!.users)).toEqual([9, 90])
    expect(combined.runs).toBe(11)
  })

  it('never produces NaN from infinite lifetimes', () => {
    const inf = Number.POSITIVE_INFINITY
    // 11 runs: p10 sits exactly on the 2nd value (finite) next to an infinite 3rd one.
    const lifetimes = [3, 3, inf, inf, inf, inf, inf, inf, inf, inf, inf]
    const combined = combineRuns(lifetimes.map((l) => run([1, 1], [l, 5])))
    const lifetime = combined.products.x!
    expect(lifetime.p10!.expectedLifetime[0]).toBe(3)
    for (const series of [
      lifetime.expectedLifetime,
      lifetime.p10!.expectedLifetime,
      lifetime.p90!.expectedLifetime,
    ]) {
      for (const value of series) expect(Number.isNaN(value)).toBe(false)
    }
  })
})
