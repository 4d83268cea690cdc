import type { Model } from '../model/types.js'

/**
 * A validated model turned into index-based typed arrays, the form both engines read.
 * Products, markets, companies and links keep the order of the model's lists.
 */
export class CompiledModel {
  /** The model this was compiled from. */
  readonly model: Model
  /** Step length Δ in days. */
  readonly stepDays: number
  /** Number of steps; the result has `steps + 1` entries. */
  readonly steps: number
  /** People in the population. */
  readonly population: number
  /** Market index of each product. */
  readonly productMarket: Int32Array
  /** Company index of each product. */
  readonly productCompany: Int32Array
  /** Appeal of each product. */
  readonly appeal: Float64Array
  /** Base churn hazard per day of each product. */
  readonly churn: Float64Array
  /** Initial users of each product, in people. */
  readonly initialUsers: Float64Array
  /** Index of the entry at which each product launches (`steps + 1` = never). */
  readonly launchStep: Int32Array
  /** Reach of each market, in people. */
  readonly reach: Float64Array
  /** Probability that a person is in the reach of each market (reach / population). */
  readonly reachFraction: Float64Array
  /** Bass innovation coefficient of each market, per day. */
  readonly p: Float64Array
  /** Bass imitation coefficient of each market, per day. */
  readonly q: Float64Array
  /** Source product of each link. */
  readonly linkFrom: Int32Array
  /** Target product of each link. */
  readonly linkTo: Int32Array
  /** Funnel hazard of each link, per day. */
  readonly funnel: Float64Array
  /** Lock-in of each link, in [0, 1]. */
  readonly lockIn: Float64Array
  /** Products of each market, in model order. */
  readonly marketProducts: readonly (readonly number[])[]

  /**
   * @param model - a model that passed `parseModel`
   */
  constructor(model: Model) {
    this.model = model
    this.stepDays = model.stepDays
    this.steps = Math.max(1, Math.ceil(model.horizonDays / model.stepDays - 1e-9))
    this.population = model.population
    const companyIndex = new Map(model.companies.map((company, index) => [company.id, index]))
    const marketIndex = new Map(model.markets.map((market, index) => [market.id, index]))
    const productIndex = new Map(model.products.map((product, index) => [product.id, index]))
    const lookup = (map: Map<string, number>, key: string): number => {
      const index = map.get(key)
      if (index === undefined) throw new Error(`unknown id "${key}": compile only parsed models`)
      return index
    }
    this.productMarket = Int32Array.from(model.products, (p) => lookup(marketIndex, p.market))
    this.productCompany = Int32Array.from(model.products, (p) => lookup(companyIndex, p.company))
    this.appeal = Float64Array.from(model.products, (p) => p.appeal)
    this.churn = Float64Array.from(model.products, (p) => p.churn)
    this.initialUsers = Float64Array.from(model.products, (p) => p.initialUsers)
    this.launchStep = Int32Array.from(model.products, (p) =>
      Math.min(this.steps + 1, Math.ceil(p.launchDay / model.stepDays - 1e-9)),
    )
    this.reach = Float64Array.from(model.markets, (m) => m.reach)
    this.reachFraction = Float64Array.from(model.markets, (m) => m.reach / model.population)
    this.p = Float64Array.from(model.markets, (m) => m.p)
    this.q = Float64Array.from(model.markets, (m) => m.q)
    this.linkFrom = Int32Array.from(model.links, (l) => lookup(productIndex, l.from))
    this.linkTo = Int32Array.from(model.links, (l) => lookup(productIndex, l.to))
    this.funnel = Float64Array.from(model.links, (l) => l.funnel)
    this.lockIn = Float64Array.from(model.links, (l) => l.lockIn)
    const marketProducts: number[][] = model.markets.map(() => [])
    this.productMarket.forEach((market, product) => {
      marketProducts[market]?.push(product)
    })
    this.marketProducts = marketProducts
  }

  /** Number of products. */
  get productCount(): number {
    return this.productMarket.length
  }

  /** Number of markets. */
  get marketCount(): number {
    return this.reach.length
  }

  /** Number of companies. */
  get companyCount(): number {
    return this.model.companies.length
  }

  /** Number of links. */
  get linkCount(): number {
    return this.linkFrom.length
  }
}
