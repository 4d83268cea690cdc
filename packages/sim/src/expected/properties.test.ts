import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Model } from '../model/types.js'
import { simulate } from '../simulate.js'
import { arbitraryModel, propertySeed } from '../testing/arbitraryModel.js'
import { marketModel, product } from '../testing/fixtures.js'

console.log(`expected-engine properties: fast-check seed ${propertySeed} (CHAINMAP_TEST_SEED)`)

function companyTotal(model: Model, company: string): number {
  const users = simulate(model).companies[company]!.users
  return users[users.length - 1]!
}

describe('expected engine properties', () => {
  it('conserves people: within reach, nothing negative, no NaN, launch days respected', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(arbitraryModel(), (model) => {
        const result = simulate(model)
        const tolerance = 1e-6 * model.population
        for (const market of model.markets) {
          for (const users of result.markets[market.id]!.users) {
            expect(Number.isFinite(users)).toBe(true)
            expect(users).toBeGreaterThanOrEqual(-tolerance)
            expect(users).toBeLessThanOrEqual(market.reach + tolerance)
          }
        }
        for (const p of model.products) {
          const series = result.products[p.id]!
          for (const [name, values] of Object.entries(series)) {
            if (!(values instanceof Float64Array)) continue
            for (const value of values) {
              expect(Number.isNaN(value), `${p.id}.${name}`).toBe(false)
              expect(value, `${p.id}.${name}`).toBeGreaterThanOrEqual(-tolerance)
            }
          }
          result.days.forEach((day, k) => {
            if (day < p.launchDay) expect(series.users[k]).toBe(0)
          })
        }
        for (const company of model.companies) {
          for (const users of result.companies[company.id]!.users) {
            expect(users).toBeLessThanOrEqual(model.population + tolerance)
          }
        }
      }),
      { seed: propertySeed, numRuns: 60 },
    )
  })

  it('never lowers the company total when a link of that company gets more lock-in or funnel', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(
        arbitraryModel({ sameCompanyLinks: true, nonNegative: true }),
        fc.nat(3),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (model, which, amount, raiseLockIn) => {
          const link = model.links[which % Math.max(1, model.links.length)]
          if (link === undefined) return
          const company = model.products.find((p) => p.id === link.from)!.company
          const before = companyTotal(model, company)
          if (raiseLockIn) link.lockIn = link.lockIn + (1 - link.lockIn) * amount
          else link.funnel += amount
          expect(companyTotal(model, company)).toBeGreaterThanOrEqual(before * (1 - 1e-9) - 1e-6)
        },
      ),
      { seed: propertySeed, numRuns: 60 },
    )
  })

  it('splits adopters exactly by appeal without network effect or ecosystem pull', () => {
    const model = marketModel({
      products: [product('x', { appeal: 3 }), product('y', { appeal: 1, company: 'b' })],
    })
    const result = simulate(model)
    const x = result.products.x!
    const y = result.products.y!
    for (let k = 1; k < result.days.length; k++) {
      expect(Math.abs(x.users[k]! / y.users[k]! - 3)).toBeLessThan(1e-9)
      expect(Math.abs(x.adopted[k]! / y.adopted[k]! - 3)).toBeLessThan(1e-9)
    }
  })

  it('gives a funnel target to holders of its source far more often than to others', () => {
    const model = marketModel({
      markets: [
        { id: 'm', name: 'M', reach: 1_000_000, p: 0.01, q: 0 },
        { id: 'n', name: 'N', reach: 1_000_000, p: 0.0001, q: 0 },
      ],
      products: [product('src', { initialUsers: 100_000 }), product('dst', { market: 'n' })],
      links: [{ from: 'src', to: 'dst', funnel: 0.05, lockIn: 0 }],
      horizonDays: 30,
    })
    const result = simulate(model)
    const viaFunnel = result.products.dst!.adoptedFunnel
    const flow = result.links['src->dst']!.flow
    expect(viaFunnel[1]).toBeGreaterThan(10 * result.products.dst!.adoptedOrganic[1]!)
    for (let k = 0; k < flow.length; k++) expect(flow[k]).toBeCloseTo(viaFunnel[k]!, 6)
  })

  it('is deterministic: same model, same bytes', () => {
    const model = JSON.parse(JSON.stringify(marketModel({ products: [product('x')] })))
    const a = simulate(model).products.x!.users
    const b = simulate(model).products.x!.users
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true)
  })
})
