import type { Company, Link, Market, Model, Product } from '@chainmap/sim'
import type { TLRecord } from '@tldraw/tlschema'
import { isChainmapShape } from '../shapes/chainmapShapes.js'
import { COMPANY_SHAPE_TYPE, type CompanyShape } from '../shapes/companyShape.js'
import { LINK_SHAPE_TYPE, type LinkShape } from '../shapes/linkShape.js'
import { MARKET_SHAPE_TYPE, type MarketShape } from '../shapes/marketShape.js'
import { PRODUCT_SHAPE_TYPE, type ProductShape } from '../shapes/productShape.js'
import type { BoardContents } from './boardContents.js'
import type { BoardIssue } from './boardIssue.js'
import { modelIdOfShape } from './modelIds.js'

/** The model built from a board, with the shape behind each row. */
export interface BuiltModel {
  model: Model
  issues: BoardIssue[]
  /** Shape id of each row: `companies[i]` ↔ `shapeIds.companies[i]`, and so on. */
  shapeIds: { companies: string[]; markets: string[]; products: string[]; links: string[] }
}

/**
 * Build the model of a board. `complete` leaves out what cannot be simulated yet (a product
 * without a company or market, a link with a missing end, a self-link, a second link between the
 * same two products, a link inside one market) and lists it in `issues`; `as-drawn` keeps every
 * shape, turning dangling references into ids that `parseModel` then reports.
 */
export function buildModel(contents: BoardContents, mode: 'complete' | 'as-drawn'): BuiltModel {
  const companies = chainmapShapes<CompanyShape>(contents.records, COMPANY_SHAPE_TYPE)
  const markets = chainmapShapes<MarketShape>(contents.records, MARKET_SHAPE_TYPE)
  const products = chainmapShapes<ProductShape>(contents.records, PRODUCT_SHAPE_TYPE)
  const links = chainmapShapes<LinkShape>(contents.records, LINK_SHAPE_TYPE)
  const issues: BoardIssue[] = [...(contents.issues ?? [])]
  const keep = mode === 'as-drawn'
  const companyIds = new Set(companies.map((s) => s.id as string))
  const marketIds = new Set(markets.map((s) => s.id as string))

  const keptProducts = products.filter((shape) => {
    const name = JSON.stringify(shape.props.name)
    if (!companyIds.has(shape.props.company)) {
      issues.push({
        shapeId: shape.id,
        message:
          shape.props.company === ''
            ? `product ${name} has no company`
            : `product ${name}: its company no longer exists`,
      })
      if (!keep) return false
    }
    if (!marketIds.has(shape.props.market)) {
      issues.push({
        shapeId: shape.id,
        message:
          shape.props.market === ''
            ? `product ${name} has no market`
            : `product ${name}: its market no longer exists`,
      })
      if (!keep) return false
    }
    return true
  })
  const marketOfProduct = new Map(keptProducts.map((s) => [s.id as string, s.props.market]))
  const nameOf = new Map(products.map((s) => [s.id as string, s.props.name]))
  const pairs = new Set<string>()
  const keptLinks = links.filter((shape) => {
    const { from, to } = shape.props
    const label = `link ${JSON.stringify(nameOf.get(from) ?? from)} → ${JSON.stringify(nameOf.get(to) ?? to)}`
    let problem: string | undefined
    if (!marketOfProduct.has(from) || !marketOfProduct.has(to)) {
      problem = `${label} has an end product that is missing or incomplete`
    } else if (from === to) {
      problem = `${label} links a product to itself`
    } else if (marketOfProduct.get(from) === marketOfProduct.get(to)) {
      problem = `${label} joins two products of one market, so it can never act`
    } else if (pairs.has(`${from}\u0000${to}`)) {
      problem = `${label} duplicates another link between the same products`
    }
    pairs.add(`${from}\u0000${to}`)
    if (problem === undefined) return true
    issues.push({ shapeId: shape.id, message: problem })
    return keep
  })

  const model: Model = {
    version: 1,
    ...contents.settings,
    companies: companies.map(companyRow),
    markets: markets.map(marketRow),
    products: keptProducts.map(productRow),
    links: keptLinks.map(linkRow),
  }
  return {
    model,
    issues,
    shapeIds: {
      companies: companies.map((s) => s.id),
      markets: markets.map((s) => s.id),
      products: keptProducts.map((s) => s.id),
      links: keptLinks.map((s) => s.id),
    },
  }
}

function chainmapShapes<S extends { id: string; index: string }>(
  records: Iterable<TLRecord>,
  type: S extends { type: infer K } ? K : never,
): S[] {
  const shapes: S[] = []
  for (const record of records) {
    if (isChainmapShape(record, type as never)) shapes.push(record as unknown as S)
  }
  // Index order, then id: every collaborator derives the same model order from the same records.
  return shapes.sort((a, b) =>
    a.index === b.index ? compare(a.id, b.id) : compare(a.index, b.index),
  )
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function companyRow(shape: CompanyShape): Company {
  const row: Company = { id: modelIdOfShape(shape.id, 'company'), name: shape.props.name }
  if (shape.props.color !== '') row.color = shape.props.color
  return row
}

function marketRow(shape: MarketShape): Market {
  const { name, reach, p, q } = shape.props
  return { id: modelIdOfShape(shape.id, 'market'), name, reach, p, q }
}

function productRow(shape: ProductShape): Product {
  const { name, company, market, appeal, launchDay, initialUsers, churn } = shape.props
  return {
    id: modelIdOfShape(shape.id, 'product'),
    name,
    company: company === '' ? '' : modelIdOfShape(company, 'company'),
    market: market === '' ? '' : modelIdOfShape(market, 'market'),
    appeal,
    launchDay,
    initialUsers,
    churn,
  }
}

function linkRow(shape: LinkShape): Link {
  const { from, to, funnel, lockIn } = shape.props
  return {
    from: from === '' ? '' : modelIdOfShape(from, 'product'),
    to: to === '' ? '' : modelIdOfShape(to, 'product'),
    funnel,
    lockIn,
  }
}
