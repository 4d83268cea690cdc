import type { Model } from '@chainmap/sim'
import fc from 'fast-check'

const id = fc.stringMatching(/^[a-z][a-z0-9:-]{0,12}$/)
const rate = fc.double({ min: 0, max: 1, noNaN: true })

/**
 * Valid models of up to 4 companies, 4 markets, 8 products and their links (never inside one
 * market, never twice between the same products), ids with the odd `:` to exercise shape ids.
 */
export const arbitraryModel: fc.Arbitrary<Model> = fc
  .record({
    companyIds: fc.uniqueArray(id, { minLength: 1, maxLength: 4 }),
    marketIds: fc.uniqueArray(id, { minLength: 1, maxLength: 4 }),
    productIds: fc.uniqueArray(id, { minLength: 0, maxLength: 8 }),
    population: fc.integer({ min: 1000, max: 1_000_000_000 }),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    picks: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
    numbers: fc.array(rate, { minLength: 64, maxLength: 64 }),
    colors: fc.array(fc.option(fc.constantFrom('#ff6a00', 'teal', 'rgb(1, 2, 3)')), {
      minLength: 4,
      maxLength: 4,
    }),
  })
  .map(({ companyIds, marketIds, productIds, population, seed, picks, numbers, colors }) => {
    const pick = (i: number) => picks[i % picks.length] ?? 0
    const num = (i: number) => numbers[i % numbers.length] ?? 0
    const markets = marketIds.map((mid, i) => ({
      id: mid,
      name: `Market ${i}`,
      reach: Math.round(population * (0.1 + 0.9 * num(i))),
      p: num(i + 1) / 100,
      q: num(i + 2) / 10,
    }))
    const products = productIds.map((pid, i) => {
      const market = markets[pick(i) % markets.length]!
      return {
        id: pid,
        name: `Product ${i}`,
        company: companyIds[pick(i + 20) % companyIds.length]!,
        market: market.id,
        appeal: 0.1 + num(i + 3) * 5,
        launchDay: Math.round(num(i + 4) * 100),
        initialUsers: Math.floor(market.reach * num(i + 5) * 0.1),
        churn: num(i + 6) / 100,
      }
    })
    const links: Model['links'] = []
    for (let i = 0; i < products.length; i++) {
      const from = products[i]!
      const to = products[pick(i + 40) % products.length]!
      const taken = links.some((l) => l.from === from.id && l.to === to.id)
      if (from.market !== to.market && !taken) {
        links.push({ from: from.id, to: to.id, funnel: num(i + 7) / 10, lockIn: num(i + 8) })
      }
    }
    return {
      version: 1 as const,
      population,
      horizonDays: 365,
      stepDays: 1,
      seed,
      networkEffect: 1,
      ecosystemPull: 0.5,
      companies: companyIds.map((cid, i) => {
        const color = colors[i] ?? null
        return color === null
          ? { id: cid, name: `Company ${i}` }
          : { id: cid, name: `Company ${i}`, color }
      }),
      markets,
      products,
      links,
    }
  })
