import type { Model } from '@chainmap/sim'
import { defaultCompanyShapeProps } from '../shapes/companyShape.js'
import { defaultProductShapeProps } from '../shapes/productShape.js'

/** A rectangle in page coordinates. `w`/`h` default to the shape's default size. */
export interface LayoutBox {
  x: number
  y: number
  w?: number
  h?: number
}

/**
 * Where to put each row of a model on the canvas, in page coordinates, keyed by model id. Products
 * are placed inside their market's lane (their position is converted to lane coordinates).
 * Rows without a box get one from {@link defaultBoardLayout}.
 */
export interface BoardLayout {
  companies?: Record<string, LayoutBox>
  markets?: Record<string, LayoutBox>
  products?: Record<string, LayoutBox>
}

const GAP = 24
const LANE_X = 280
const LANE_HEADER = 48

/**
 * A plain layout: companies in a column on the left, one horizontal lane per market stacked
 * top to bottom, each market's products side by side in its lane, in model order.
 */
export function defaultBoardLayout(model: Pick<Model, 'companies' | 'markets' | 'products'>): {
  companies: Record<string, Required<LayoutBox>>
  markets: Record<string, Required<LayoutBox>>
  products: Record<string, Required<LayoutBox>>
} {
  const company = defaultCompanyShapeProps()
  const product = defaultProductShapeProps()
  const companies: Record<string, Required<LayoutBox>> = {}
  model.companies.forEach((row, i) => {
    companies[row.id] = { x: 0, y: i * (company.h + GAP), w: company.w, h: company.h }
  })
  const markets: Record<string, Required<LayoutBox>> = {}
  const products: Record<string, Required<LayoutBox>> = {}
  const laneHeight = LANE_HEADER + product.h + GAP
  model.markets.forEach((market, i) => {
    const y = i * (laneHeight + GAP)
    const members = model.products.filter((p) => p.market === market.id)
    members.forEach((p, j) => {
      products[p.id] = {
        x: LANE_X + GAP + j * (product.w + GAP),
        y: y + LANE_HEADER,
        w: product.w,
        h: product.h,
      }
    })
    const width = Math.max(960, GAP + members.length * (product.w + GAP))
    markets[market.id] = { x: LANE_X, y, w: width, h: laneHeight }
  })
  return { companies, markets, products }
}
