import type { Model, Product } from '../model/types.js'

/**
 * A one-market model for tests: `reach` people of `population`, Bass `p`, `q`.
 *
 * @param overrides - fields to replace
 * @returns a valid model with one company `a`, one market `m` and no products
 */
export function marketModel(overrides: Partial<Model> = {}): Model {
  return {
    version: 1,
    population: 1_000_000,
    horizonDays: 365,
    stepDays: 1,
    seed: 1,
    networkEffect: 0,
    ecosystemPull: 0,
    companies: [
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ],
    markets: [{ id: 'm', name: 'M', reach: 600_000, p: 0.003, q: 0.08 }],
    products: [],
    links: [],
    ...overrides,
  }
}

/**
 * A product for test models.
 *
 * @param id - product id
 * @param overrides - fields to replace
 * @returns a product of company `a` in market `m`, launched on day 0, appeal 1, no churn
 */
export function product(id: string, overrides: Partial<Product> = {}): Product {
  return {
    id,
    name: id,
    company: 'a',
    market: 'm',
    appeal: 1,
    launchDay: 0,
    initialUsers: 0,
    churn: 0,
    ...overrides,
  }
}
