import fc from 'fast-check'
import type { Model } from '../model/types.js'

/**
 * Seed of the property tests: `CHAINMAP_TEST_SEED` when set, else a fixed default, so CI is
 * reproducible and a failing seed can be replayed. Printed by each suite that uses it.
 */
export const propertySeed = Number(process.env.CHAINMAP_TEST_SEED ?? 20_261_124)

/**
 * Small random valid models: up to 3 markets, 4 products, 4 links, 2 companies, short horizons.
 *
 * @param options - `sameCompanyLinks` keeps every link inside one company; `nonNegative` keeps
 *   networkEffect and ecosystemPull >= 0
 * @returns an arbitrary of valid models
 */
export function arbitraryModel(
  options: { sameCompanyLinks?: boolean; nonNegative?: boolean } = {},
): fc.Arbitrary<Model> {
  const population = 1_000_000
  const market = (id: string) =>
    fc.record({
      id: fc.constant(id),
      name: fc.constant(id),
      reach: fc.integer({ min: 0, max: population }),
      p: fc.double({ min: 0, max: 0.05, noNaN: true }),
      q: fc.double({ min: 0, max: 0.5, noNaN: true }),
    })
  return fc
    .record({
      markets: fc.tuple(market('m0'), market('m1'), market('m2')),
      marketCount: fc.integer({ min: 1, max: 3 }),
      products: fc.array(
        fc.record({
          market: fc.nat(2),
          company: fc.nat(1),
          appeal: fc.double({ min: 0.1, max: 5, noNaN: true }),
          launchDay: fc.integer({ min: 0, max: 20 }),
          initialFraction: fc.double({ min: 0, max: 0.2, noNaN: true }),
          churn: fc.double({ min: 0, max: 0.2, noNaN: true }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      links: fc.array(
        fc.record({
          from: fc.nat(3),
          to: fc.nat(3),
          funnel: fc.double({ min: 0, max: 0.5, noNaN: true }),
          lockIn: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        { maxLength: 4 },
      ),
      networkEffect: options.nonNegative
        ? fc.double({ min: 0, max: 3, noNaN: true })
        : fc.double({ min: -3, max: 3, noNaN: true }),
      ecosystemPull: options.nonNegative
        ? fc.double({ min: 0, max: 3, noNaN: true })
        : fc.double({ min: -3, max: 3, noNaN: true }),
      horizonDays: fc.integer({ min: 1, max: 40 }),
      stepDays: fc.constantFrom(0.5, 1, 2),
    })
    .map((raw): Model => {
      const markets = raw.markets.slice(0, raw.marketCount)
      const products = raw.products.map((p, i) => {
        const m = markets[p.market % markets.length]!
        return {
          id: `p${i}`,
          name: `p${i}`,
          company: `c${p.company}`,
          market: m.id,
          appeal: p.appeal,
          launchDay: p.launchDay,
          initialUsers: Math.floor(m.reach * p.initialFraction),
          churn: p.churn,
        }
      })
      const seen = new Set<string>()
      const links = raw.links.flatMap((l) => {
        const from = products[l.from % products.length]!
        const to = products[l.to % products.length]!
        const key = `${from.id}>${to.id}`
        if (from.market === to.market || seen.has(key)) return []
        if (options.sameCompanyLinks && from.company !== to.company) return []
        seen.add(key)
        return [{ from: from.id, to: to.id, funnel: l.funnel, lockIn: l.lockIn }]
      })
      return {
        version: 1,
        population,
        horizonDays: raw.horizonDays,
        stepDays: raw.stepDays,
        seed: 3,
        networkEffect: raw.networkEffect,
        ecosystemPull: raw.ecosystemPull,
        companies: [
          { id: 'c0', name: 'c0' },
          { id: 'c1', name: 'c1' },
        ],
        markets,
        products,
        links,
      }
    })
}
