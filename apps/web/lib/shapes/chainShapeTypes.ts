import type { TLShape } from '@tldraw/tlschema'
import { T } from 'tldraw'

// Interim mirror of `@chainmap/board`'s shape definitions (same type names and props), kept
// here until that package publishes them; then this file re-exports from it.

/** A company card. */
export const COMPANY = 'chainmap-company'
/** A market lane: a frame that holds its products. */
export const MARKET = 'chainmap-market'
/** A product of one company in one market. */
export const PRODUCT = 'chainmap-product'
/** A chain link from one product to another (ends are product shape ids in its props). */
export const CHAIN_LINK = 'chainmap-link'

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [COMPANY]: { w: number; h: number; name: string; color: string }
    [MARKET]: { w: number; h: number; name: string; reach: number; p: number; q: number }
    [PRODUCT]: {
      w: number
      h: number
      name: string
      company: string
      market: string
      appeal: number
      launchDay: number
      initialUsers: number
      churn: number
    }
    [CHAIN_LINK]: { from: string; to: string; funnel: number; lockIn: number }
  }
}

/** A company: a name and the colour its products wear. */
export type CompanyShape = TLShape<typeof COMPANY>
/** A market lane holding products; reach and Bass p, q. */
export type MarketShape = TLShape<typeof MARKET>
/** A product; `company` and `market` are shape ids. */
export type ProductShape = TLShape<typeof PRODUCT>
/** A chain link between two products. */
export type ChainLinkShape = TLShape<typeof CHAIN_LINK>
/** Any chain-map shape. */
export type ChainShape = CompanyShape | MarketShape | ProductShape | ChainLinkShape

/** Validators for the company props (the store rejects anything else). */
export const companyProps = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  name: T.string,
  color: T.string,
}

/** Validators for the market props. */
export const marketProps = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  name: T.string,
  reach: T.number,
  p: T.number,
  q: T.number,
}

/** Validators for the product props. */
export const productProps = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  name: T.string,
  company: T.string,
  market: T.string,
  appeal: T.number,
  launchDay: T.number,
  initialUsers: T.number,
  churn: T.number,
}

/** Validators for the chain link props. */
export const chainLinkProps = {
  from: T.string,
  to: T.string,
  funnel: T.number,
  lockIn: T.number,
}

/** Colours offered for companies (and so for their products). */
export const COMPANY_COLORS = [
  '#e8590c',
  '#1971c2',
  '#2f9e44',
  '#9c36b5',
  '#c2255c',
  '#0c8599',
  '#f08c00',
  '#5f3dc4',
] as const
