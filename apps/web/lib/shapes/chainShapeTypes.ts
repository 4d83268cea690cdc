import {
  COMPANY_SHAPE_TYPE,
  type CompanyShape,
  LINK_SHAPE_TYPE,
  type LinkShape,
  MARKET_SHAPE_TYPE,
  type MarketShape,
  PRODUCT_SHAPE_TYPE,
  type ProductShape,
} from '@chainmap/board'

export type { CompanyShape, MarketShape, ProductShape }

/** A company card (type name from `@chainmap/board`). */
export const COMPANY = COMPANY_SHAPE_TYPE as typeof COMPANY_SHAPE_TYPE
/** A market lane: a frame that holds its products. */
export const MARKET = MARKET_SHAPE_TYPE as typeof MARKET_SHAPE_TYPE
/** A product of one company in one market. */
export const PRODUCT = PRODUCT_SHAPE_TYPE as typeof PRODUCT_SHAPE_TYPE
/** A chain link from one product to another (ends are product shape ids in its props). */
export const CHAIN_LINK = LINK_SHAPE_TYPE as typeof LINK_SHAPE_TYPE

/** A chain link between two products. */
export type ChainLinkShape = LinkShape
/** Any chain-map shape. */
export type ChainShape = CompanyShape | MarketShape | ProductShape | ChainLinkShape

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
