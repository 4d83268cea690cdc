/**
 * A model with `markets × perMarket` products (one company per column, linked market to market),
 * for the large-board benchmark.
 */
export function bigModel(markets: number, perMarket: number, companies: number) {
  const products: unknown[] = []
  const links: unknown[] = []
  for (let m = 0; m < markets; m++) {
    for (let k = 0; k < perMarket; k++) {
      products.push({
        id: `p${m}-${k}`,
        name: `P ${m}.${k}`,
        company: `c${k % companies}`,
        market: `m${m}`,
        appeal: 1 + (k % 3),
        launchDay: (m * 7) % 60,
        initialUsers: 1000,
        churn: 0.002,
      })
      if (m + 1 < markets) {
        links.push({ from: `p${m}-${k}`, to: `p${m + 1}-${k}`, funnel: 0.002, lockIn: 0.3 })
      }
    }
  }
  return {
    version: 1,
    population: 20_000_000,
    horizonDays: 365,
    stepDays: 1,
    seed: 1,
    networkEffect: 1,
    ecosystemPull: 0.5,
    companies: Array.from({ length: companies }, (_, i) => ({ id: `c${i}`, name: `Company ${i}` })),
    markets: Array.from({ length: markets }, (_, i) => ({
      id: `m${i}`,
      name: `Market ${i}`,
      reach: 1_000_000,
      p: 0.001,
      q: 0.05,
    })),
    products,
    links,
  }
}
