import { MAX_STEPS } from './limits.js'
import type { ModelProblem } from './ModelError.js'

type Row = Record<string, unknown>

function rows(value: unknown): Row[] {
  if (!Array.isArray(value)) return []
  return value.map((row) => (row !== null && typeof row === 'object' ? (row as Row) : {}))
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

const singular: Record<string, string> = {
  companies: 'company',
  markets: 'market',
  products: 'product',
}

function duplicateIds(list: Row[], name: string, problems: ModelProblem[]): Set<string> {
  const seen = new Set<string>()
  list.forEach((row, index) => {
    const rowId = row.id
    if (typeof rowId !== 'string') return
    if (seen.has(rowId)) {
      problems.push({
        path: `${name}[${index}].id`,
        message: `${name}[${index}].id "${rowId}" is a duplicate ${singular[name] ?? name} id`,
      })
    }
    seen.add(rowId)
  })
  return seen
}

/**
 * The rules that span fields: unknown and duplicate ids, self-links, links within one market,
 * reach above the population, initial users above the reach, and the step cap. It reads the
 * raw input defensively so that it can report alongside the per-field schema problems.
 *
 * @param input - the raw model, possibly malformed
 * @returns every cross-reference problem found
 */
export function referenceProblems(input: unknown): ModelProblem[] {
  const problems: ModelProblem[] = []
  if (input === null || typeof input !== 'object') return problems
  const model = input as Row
  const companies = rows(model.companies)
  const markets = rows(model.markets)
  const products = rows(model.products)
  const links = rows(model.links)

  const companyIds = duplicateIds(companies, 'companies', problems)
  const marketIds = duplicateIds(markets, 'markets', problems)
  const productIds = duplicateIds(products, 'products', problems)

  const population = finite(model.population)
  const reachOf = new Map<string, number>()
  markets.forEach((market, index) => {
    const reach = finite(market.reach)
    if (typeof market.id === 'string' && reach !== undefined) reachOf.set(market.id, reach)
    if (population !== undefined && reach !== undefined && reach > population) {
      problems.push({
        path: `markets[${index}].reach`,
        message: `markets[${index}].reach must be <= population (${population})`,
      })
    }
  })

  const marketOfProduct = new Map<string, unknown>()
  products.forEach((product, index) => {
    if (typeof product.id === 'string') marketOfProduct.set(product.id, product.market)
    if (typeof product.company === 'string' && !companyIds.has(product.company)) {
      problems.push({
        path: `products[${index}].company`,
        message: `products[${index}].company "${product.company}" is not a company id`,
      })
    }
    if (typeof product.market === 'string' && !marketIds.has(product.market)) {
      problems.push({
        path: `products[${index}].market`,
        message: `products[${index}].market "${product.market}" is not a market id`,
      })
    }
    const reach = typeof product.market === 'string' ? reachOf.get(product.market) : undefined
    const initialUsers = finite(product.initialUsers)
    if (reach !== undefined && initialUsers !== undefined && initialUsers > reach) {
      problems.push({
        path: `products[${index}].initialUsers`,
        message: `products[${index}].initialUsers must be <= the reach of its market (${reach})`,
      })
    }
  })

  const pairs = new Set<string>()
  links.forEach((link, index) => {
    for (const end of ['from', 'to'] as const) {
      const target = link[end]
      if (typeof target === 'string' && !productIds.has(target)) {
        problems.push({
          path: `links[${index}].${end}`,
          message: `links[${index}].${end} "${target}" is not a product id`,
        })
      }
    }
    if (typeof link.from !== 'string' || typeof link.to !== 'string') return
    if (link.from === link.to) {
      problems.push({
        path: `links[${index}]`,
        message: `links[${index}] links product "${link.from}" to itself`,
      })
      return
    }
    const fromMarket = marketOfProduct.get(link.from)
    if (fromMarket !== undefined && fromMarket === marketOfProduct.get(link.to)) {
      problems.push({
        path: `links[${index}]`,
        message: `links[${index}] joins two products of market "${String(fromMarket)}": a person holds at most one product per market, so such a link can never act`,
      })
    }
    const key = `${link.from}\u0000${link.to}`
    if (pairs.has(key)) {
      problems.push({
        path: `links[${index}]`,
        message: `links[${index}] duplicates the link "${link.from}" -> "${link.to}"`,
      })
    }
    pairs.add(key)
  })

  const horizon = finite(model.horizonDays)
  const step = finite(model.stepDays)
  if (horizon !== undefined && step !== undefined && horizon > 0 && step > 0) {
    const steps = Math.ceil(horizon / step - 1e-9)
    if (steps > MAX_STEPS) {
      problems.push({
        path: 'horizonDays',
        message: `horizonDays / stepDays needs ${steps} steps, more than the cap of ${MAX_STEPS}`,
      })
    }
  }
  return problems
}
