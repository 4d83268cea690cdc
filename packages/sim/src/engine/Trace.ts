import type { CompiledModel } from './CompiledModel.js'

/**
 * The raw series an engine writes while it runs, one row of `entries` values per product,
 * market, company or link. Flows are people per day over the step ending at the entry.
 */
export class Trace {
  /** Number of entries (steps + 1). */
  readonly entries: number
  /** People holding each product: `productUsers[product * entries + entry]`. */
  readonly productUsers: Float64Array
  /** Adoptions per day through the organic (Bass) channel. */
  readonly adoptedOrganic: Float64Array
  /** Adoptions per day through funnel links. */
  readonly adoptedFunnel: Float64Array
  /** People per day dropping the product. */
  readonly churned: Float64Array
  /** Mean effective churn hazard per day among holders. */
  readonly churnHazard: Float64Array
  /** People holding any product of each market. */
  readonly marketUsers: Float64Array
  /** People holding at least one product of each company. */
  readonly companyUsers: Float64Array
  /** Products of the company held per company user. */
  readonly companyDepth: Float64Array
  /** Adoptions per day of each link's target through that link. */
  readonly linkFlow: Float64Array

  /** @param compiled - the model being simulated */
  constructor(compiled: CompiledModel) {
    const entries = compiled.steps + 1
    this.entries = entries
    const products = compiled.productCount * entries
    this.productUsers = new Float64Array(products)
    this.adoptedOrganic = new Float64Array(products)
    this.adoptedFunnel = new Float64Array(products)
    this.churned = new Float64Array(products)
    this.churnHazard = new Float64Array(products)
    this.marketUsers = new Float64Array(compiled.marketCount * entries)
    this.companyUsers = new Float64Array(compiled.companyCount * entries)
    this.companyDepth = new Float64Array(compiled.companyCount * entries)
    this.linkFlow = new Float64Array(compiled.linkCount * entries)
  }
}
