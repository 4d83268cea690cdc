import type { Model } from '@chainmap/sim'
import ELK from 'elkjs/lib/elk.bundled.js'

/** A box on the canvas, in page coordinates. */
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** Where each item of a model goes: market lanes, products inside them (relative), companies. */
export interface ModelLayout {
  markets: Record<string, Box>
  /** Relative to the product's market lane. */
  products: Record<string, Box>
  companies: Record<string, Box>
}

const PRODUCT_W = 190
const PRODUCT_H = 120
const COMPANY_W = 180
const COMPANY_H = 56
const LANE_PADDING = 40
const LANE_GAP = 40

/**
 * Lays a model out in market lanes with elkjs: a layered layout of the chain links (left to
 * right) decides each product's column, every market becomes a full-width lane (a row) holding
 * its products, and companies stack in a column to the left.
 */
export async function layoutModel(model: Model): Promise<ModelLayout> {
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
  const layout: ModelLayout = { markets: {}, products: {}, companies: {} }
  const left = COMPANY_W + 80
  let y = 0
  let widest = PRODUCT_W + LANE_PADDING * 2
  const lanes = model.markets.map((market) => {
    const products = model.products
      .filter((p) => p.market === market.id)
      .sort((a, b) => (column.get(a.id) ?? 0) - (column.get(b.id) ?? 0))
    let x = LANE_PADDING
    let lastColumn = Number.NEGATIVE_INFINITY
    for (const product of products) {
      x = Math.max(x, LANE_PADDING + (column.get(product.id) ?? 0))
      if (x <= lastColumn) x = lastColumn + PRODUCT_W + 30
      layout.products[product.id] = { x, y: LANE_PADDING, w: PRODUCT_W, h: PRODUCT_H }
      lastColumn = x
    }
    widest = Math.max(widest, lastColumn + PRODUCT_W + LANE_PADDING)
    return market
  })
  for (const market of lanes) {
    const h = PRODUCT_H + LANE_PADDING * 2
    layout.markets[market.id] = { x: left, y, w: widest, h }
    y += h + LANE_GAP
  }
  model.companies.forEach((company, i) => {
    layout.companies[company.id] = { x: 0, y: i * (COMPANY_H + 20), w: COMPANY_W, h: COMPANY_H }
  })
  return layout
}
