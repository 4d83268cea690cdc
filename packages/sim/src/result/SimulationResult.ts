/** One value per entry of `SimulationResult.days`. */
export type Series = Float64Array

/** The series of one product. Flows are people per day over the step ending at the entry (0 at entry 0). */
export interface ProductSeries {
  /** People holding the product. */
  users: Series
  /** The product's share of its market's users, in [0, 1]. */
  share: Series
  /** Adoptions per day, organic plus funnel (initial users at launch are not adoptions). */
  adopted: Series
  /** Adoptions per day through the organic (Bass) channel. */
  adoptedOrganic: Series
  /** Adoptions per day through funnel links. */
  adoptedFunnel: Series
  /** People per day dropping the product. */
  churned: Series
  /** Mean effective churn hazard per day among holders at the start of the step ending here (base churn when nobody holds it). */
  churnHazard: Series
  /** Expected lifetime in days, 1 / churnHazard (Infinity when the hazard is 0). */
  expectedLifetime: Series
}

/** The series of one market. */
export interface MarketSeries {
  /** People holding any product of the market. */
  users: Series
}

/** The series of one company. */
export interface CompanySeries {
  /** People holding at least one of the company's products. */
  users: Series
  /** Ecosystem depth: the company's products held per company user (0 when it has none). */
  depth: Series
}

/** The series of one link. */
export interface LinkSeries {
  /** Adoptions per day of the link's target through this link's funnel. */
  flow: Series
}

/** Mean series with, when `runs > 1`, the 10th, 50th (median) and 90th percentile across runs beside them. */
export type WithBands<T> = T & {
  /** 10th percentile across runs (only with `runs > 1`). */
  p10?: T
  /** 50th percentile (median) across runs (only with `runs > 1`). */
  p50?: T
  /** 90th percentile across runs (only with `runs > 1`). */
  p90?: T
}

/** What `simulate` returns. Every series is aligned with `days`. */
export interface SimulationResult {
  /** The engine that produced it. */
  engine: 'expected' | 'agents'
  /** Number of runs averaged (1 for the expected engine). */
  runs: number
  /** Simulated day of each entry: 0 for the initial state, then one entry per step. */
  days: Series
  /** Series per product id. */
  products: Record<string, WithBands<ProductSeries>>
  /** Series per market id. */
  markets: Record<string, WithBands<MarketSeries>>
  /** Series per company id. */
  companies: Record<string, WithBands<CompanySeries>>
  /** Series per link, keyed `"from->to"`. */
  links: Record<string, WithBands<LinkSeries>>
}
