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
    const markets = compiled.marketCount * entries
    const companies = compiled.companyCount * entries
    const links = compiled.linkCount * entries
    // One allocation, sliced into views: cheaper than nine for the small boards re-run on every edit.
    const buffer = new Float64Array(5 * products + markets + 2 * companies + links)
    let at = 0
    const take = (length: number) => {
      const view = buffer.subarray(at, at + length)
      at += length
      return view
    }
    this.productUsers = take(products)
    this.adoptedOrganic = take(products)
    this.adoptedFunnel = take(products)
    this.churned = take(products)
    this.churnHazard = take(products)
    this.marketUsers = take(markets)
    this.companyUsers = take(companies)
    this.companyDepth = take(companies)
    this.linkFlow = take(links)
  }
}
