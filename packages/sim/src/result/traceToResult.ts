import type { CompiledModel } from '../engine/CompiledModel.js'
import type { Trace } from '../engine/Trace.js'
import type {
  CompanySeries,
  LinkSeries,
  MarketSeries,
  ProductSeries,
  SimulationResult,
} from './SimulationResult.js'

/**
 * Key of a link in `SimulationResult.links`.
 *
 * @param from - source product id
 * @param to - target product id
 * @returns `"from->to"`
 */
export function linkKey(from: string, to: string): string {
  return `${from}->${to}`
}

/**
 * Turns an engine's raw trace into the public result shape (series are views into the trace).
 *
 * @param compiled - the simulated model
 * @param trace - what the engine wrote
 * @param engine - which engine wrote it
 * @returns the result, without bands
 */
export function traceToResult(
  compiled: CompiledModel,
  trace: Trace,
  engine: SimulationResult['engine'],
): SimulationResult {
  const entries = trace.entries
  const row = (array: Float64Array, index: number) =>
    array.subarray(index * entries, (index + 1) * entries)
  const days = new Float64Array(entries)
  for (let entry = 0; entry < entries; entry++) days[entry] = entry * compiled.stepDays
  const marketUsers = compiled.model.markets.map((_, m) => row(trace.marketUsers, m))
  const products: Record<string, ProductSeries> = {}
  compiled.model.products.forEach((product, i) => {
    const users = row(trace.productUsers, i)
    const organic = row(trace.adoptedOrganic, i)
    const funnel = row(trace.adoptedFunnel, i)
    const hazard = row(trace.churnHazard, i)
    const market = marketUsers[compiled.productMarket[i]!]!
    const share = new Float64Array(entries)
    const adopted = new Float64Array(entries)
    const lifetime = new Float64Array(entries)
    for (let entry = 0; entry < entries; entry++) {
      share[entry] = market[entry]! > 0 ? Math.min(1, users[entry]! / market[entry]!) : 0
      adopted[entry] = organic[entry]! + funnel[entry]!
      lifetime[entry] = hazard[entry]! > 0 ? 1 / hazard[entry]! : Number.POSITIVE_INFINITY
    }
    products[product.id] = {
      users,
      share,
      adopted,
      adoptedOrganic: organic,
      adoptedFunnel: funnel,
      churned: row(trace.churned, i),
      churnHazard: hazard,
      expectedLifetime: lifetime,
    }
  })
  const markets: Record<string, MarketSeries> = {}
  compiled.model.markets.forEach((market, m) => {
    markets[market.id] = { users: marketUsers[m]! }
  })
  const companies: Record<string, CompanySeries> = {}
  compiled.model.companies.forEach((company, c) => {
    companies[company.id] = { users: row(trace.companyUsers, c), depth: row(trace.companyDepth, c) }
  })
  const links: Record<string, LinkSeries> = {}
  compiled.model.links.forEach((link, l) => {
    links[linkKey(link.from, link.to)] = { flow: row(trace.linkFlow, l) }
  })
  return { engine, runs: 1, days, products, markets, companies, links }
}
