import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { simulate } from '../simulate.js'
import { arbitraryModel, propertySeed } from '../testing/arbitraryModel.js'
import { marketModel, product } from '../testing/fixtures.js'

console.log(`agents-engine properties: fast-check seed ${propertySeed} (CHAINMAP_TEST_SEED)`)

function load(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'))
}

describe('agents engine', () => {
  it('agrees with the expected engine within sampling error on the shipped scenarios', {
    timeout: 60_000,
  }, () => {
    const agents = 100_000
    const runs = 6
    for (const name of ['ecosystem-vs-giant', 'giant-builds-a-chain']) {
      const model = load(name) as { population: number }
      const scale = model.population / agents
      const expected = simulate(model)
      const sampled = simulate(model, { engine: 'agents', agents, runs, seed: 11 })
      for (const [id, series] of Object.entries(expected.products)) {
        const mean = sampled.products[id]!
        for (const day of [60, 100, 130, 200, 365]) {
          const want = series.users[day]!
          const spread = (mean.p90!.users[day]! - mean.p10!.users[day]!) / 2.56
          const floor = Math.sqrt(Math.max(want / scale, 1)) * scale
          const tolerance = (5 * Math.max(spread, floor)) / Math.sqrt(runs)
          expect(Math.abs(mean.users[day]! - want), `${name} ${id} day ${day}`).toBeLessThan(
            tolerance,
          )
        }
      }
    }
  })

  it('is deterministic: same seed, same bytes; another seed differs', { timeout: 60_000 }, () => {
    const model = load('ecosystem-vs-giant')
    const options = { engine: 'agents', agents: 20_000, seed: 5 } as const
    const a = simulate(model, options).products['global-purchases']!.users
    const b = simulate(model, options).products['global-purchases']!.users
    const c = simulate(model, { ...options, seed: 6 }).products['global-purchases']!.users
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true)
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false)
  })

  it('keeps people conserved and launch days respected on random boards', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(arbitraryModel(), fc.integer({ min: 0, max: 1000 }), (model, seed) => {
        const result = simulate(model, { engine: 'agents', agents: 2000, seed })
        for (const market of model.markets) {
          for (const users of result.markets[market.id]!.users) {
            expect(users).toBeGreaterThanOrEqual(0)
            expect(users).toBeLessThanOrEqual(model.population)
          }
        }
        for (const p of model.products) {
          const series = result.products[p.id]!
          result.days.forEach((day, k) => {
            expect(Number.isNaN(series.users[k])).toBe(false)
            expect(Number.isNaN(series.churnHazard[k])).toBe(false)
            if (day < p.launchDay) expect(series.users[k]).toBe(0)
          })
        }
      }),
      { seed: propertySeed, numRuns: 40 },
    )
  })

  it('gives p10 <= mean <= p90 bands with several runs', () => {
    const model = marketModel({ products: [product('x', { churn: 0.01 })], horizonDays: 60 })
    const result = simulate(model, { engine: 'agents', agents: 5000, runs: 5 })
    expect(result.runs).toBe(5)
    const x = result.products.x!
    for (let k = 0; k < x.users.length; k++) {
      expect(x.p10!.users[k]).toBeLessThanOrEqual(x.users[k]! + 1e-6)
      expect(x.p90!.users[k]).toBeGreaterThanOrEqual(x.users[k]! - 1e-6)
    }
  })

  it('reports progress and stops when aborted', () => {
    const model = marketModel({ products: [product('x')] })
    const seen: number[] = []
    simulate(model, { engine: 'agents', agents: 1000, onProgress: (f) => seen.push(f) })
    expect(seen.at(-1)).toBe(1)
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true)
    const controller = new AbortController()
    expect(() =>
      simulate(model, {
        engine: 'agents',
        agents: 1000,
        signal: controller.signal,
        onProgress: (f) => {
          if (f > 0.5) controller.abort(new Error('stopped by test'))
        },
      }),
    ).toThrow('stopped by test')
    expect(() => simulate(model, { signal: controller.signal })).toThrow('stopped by test')
  })

  it('rejects bad options with a clear error', () => {
    const model = marketModel({ products: [product('x')] })
    expect(() => simulate(model, { engine: 'agents', agents: 0 })).toThrow(/options\.agents/)
  })
})
