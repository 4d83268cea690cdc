import type { BoardLayout, LayoutBox } from '@chainmap/board'
import type { Model } from '@chainmap/sim'
import ELK from 'elkjs/lib/elk.bundled.js'

const PRODUCT_W = 190
const PRODUCT_H = 120
const COMPANY_W = 200
const COMPANY_H = 64
const LANE_PADDING = 40
const LANE_HEADER = 36
const LANE_GAP = 32
const COLUMN_GAP = 30

/**
 * Lays a model out in market lanes with elkjs, in page coordinates from `origin`: a layered
 * layout of the chain links (left to right) gives each product its column, so links mostly run
 * rightwards; every market is a full-width lane (a row) holding its products; companies stack
 * in a column on the left.
 */
export async function layoutModel(
  model: Model,
  origin: { x: number; y: number } = { x: 0, y: 0 },
): Promise<Required<BoardLayout>> {
  const elk = new ELK()
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
    },
    children: model.products.map((p) => ({ id: p.id, width: PRODUCT_W, height: PRODUCT_H })),
    edges: model.links.map((l, i) => ({ id: `link-${i}`, sources: [l.from], targets: [l.to] })),
  })
  const column = new Map<string, number>()
  for (const node of graph.children ?? []) column.set(node.id, node.x ?? 0)
  const companies: Record<string, LayoutBox> = {}
  const markets: Record<string, LayoutBox> = {}
  const products: Record<string, LayoutBox> = {}
  const laneX = origin.x + COMPANY_W + 80
  const laneH = LANE_HEADER + PRODUCT_H + LANE_PADDING
  let widest = PRODUCT_W + LANE_PADDING * 2
  model.markets.forEach((market, row) => {
    const laneY = origin.y + row * (laneH + LANE_GAP)
    const inLane = model.products
      .filter((p) => p.market === market.id)
      .sort((a, b) => (column.get(a.id) ?? 0) - (column.get(b.id) ?? 0))
    let next = LANE_PADDING
    for (const product of inLane) {
      const x = Math.max(next, LANE_PADDING + (column.get(product.id) ?? 0))
      products[product.id] = { x: laneX + x, y: laneY + LANE_HEADER, w: PRODUCT_W, h: PRODUCT_H }
      next = x + PRODUCT_W + COLUMN_GAP
    }
    widest = Math.max(widest, next - COLUMN_GAP + LANE_PADDING)
  })
  model.markets.forEach((market, row) => {
    markets[market.id] = { x: laneX, y: origin.y + row * (laneH + LANE_GAP), w: widest, h: laneH }
  })
  model.companies.forEach((company, i) => {
    companies[company.id] = {
      x: origin.x,
      y: origin.y + i * (COMPANY_H + 20),
      w: COMPANY_W,
      h: COMPANY_H,
    }
  })
  return { companies, markets, products }
}
