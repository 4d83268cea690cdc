import type { TLShape } from '@tldraw/tlschema'
import {
  CHAIN_LINK,
  type ChainLinkShape,
  COMPANY,
  type CompanyShape,
  MARKET,
  type MarketShape,
  PRODUCT,
  type ProductShape,
} from '@/lib/shapes/chainShapeTypes'
import type { BoardSettings } from './boardSettings'

/** A board turned into a sim model (not yet validated), plus how its links map back to shapes. */
export interface BoardModel {
  /** Plain JSON in the `@chainmap/sim` model format, version 1; ids are shape ids. */
  model: {
    version: 1
    population: number
    horizonDays: number
    stepDays: number
    seed: number
    networkEffect: number
    ecosystemPull: number
    companies: Array<{ id: string; name: string; color?: string }>
    markets: Array<{ id: string; name: string; reach: number; p: number; q: number }>
    products: Array<{
      id: string
      name: string
      company: string
      market: string
      appeal: number
      launchDay: number
      initialUsers: number
      churn: number
    }>
    links: Array<{ from: string; to: string; funnel: number; lockIn: number }>
  }
  /** `linkShapeIds[i]` is the shape of `model.links[i]`. */
  linkShapeIds: string[]
}

/**
 * Maps the chain-map shapes and settings of a board to a sim model, with shape ids as model
 * ids. Interim stand-in for `@chainmap/board`'s `modelFromBoard`.
 */
export function boardToModel(shapes: readonly TLShape[], settings: BoardSettings): BoardModel {
  const companies = shapes.filter((s): s is CompanyShape => s.type === COMPANY)
  const markets = shapes.filter((s): s is MarketShape => s.type === MARKET)
  const products = shapes.filter((s): s is ProductShape => s.type === PRODUCT)
  const links = shapes.filter((s): s is ChainLinkShape => s.type === CHAIN_LINK)
  const byOrder = (a: TLShape, b: TLShape) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {
    model: {
      version: 1,
      ...settings,
      companies: [...companies].sort(byOrder).map((c) => ({
        id: c.id,
        name: c.props.name,
        ...(c.props.color ? { color: c.props.color } : {}),
      })),
      markets: [...markets].sort(byOrder).map((m) => ({
        id: m.id,
        name: m.props.name,
        reach: m.props.reach,
        p: m.props.p,
        q: m.props.q,
      })),
      products: [...products].sort(byOrder).map((p) => ({
        id: p.id,
        name: p.props.name,
        company: p.props.company,
        market: p.props.market,
        appeal: p.props.appeal,
        launchDay: p.props.launchDay,
        initialUsers: p.props.initialUsers,
        churn: p.props.churn,
      })),
      links: [...links].sort(byOrder).map((l) => ({
        from: l.props.from,
        to: l.props.to,
        funnel: l.props.funnel,
        lockIn: l.props.lockIn,
      })),
    },
    linkShapeIds: [...links].sort(byOrder).map((l) => l.id),
  }
}

/**
 * The part of a board model that can be simulated while someone is still drawing: products
 * without a company or market yet are left out, and so are links touching them.
 */
export function simulatableModel(board: BoardModel): BoardModel {
  const companyIds = new Set(board.model.companies.map((c) => c.id))
  const marketIds = new Set(board.model.markets.map((m) => m.id))
  const products = board.model.products.filter(
    (p) => companyIds.has(p.company) && marketIds.has(p.market),
  )
  const productIds = new Set(products.map((p) => p.id))
  const keep = board.model.links.map((l) => productIds.has(l.from) && productIds.has(l.to))
  return {
    model: { ...board.model, products, links: board.model.links.filter((_, i) => keep[i]) },
    linkShapeIds: board.linkShapeIds.filter((_, i) => keep[i]),
  }
}
