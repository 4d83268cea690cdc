import { type Model, parseModel } from '@chainmap/sim'
import type { TLParentId } from '@tldraw/tlschema'
import type { BoardSettings } from '../settings.js'
import { chainmapShapeRecord } from '../shapes/chainmapShapeRecord.js'
import type { ChainmapShape } from '../shapes/chainmapShapes.js'
import { COMPANY_SHAPE_TYPE } from '../shapes/companyShape.js'
import { defaultLinkShapeProps, LINK_SHAPE_TYPE } from '../shapes/linkShape.js'
import { MARKET_SHAPE_TYPE } from '../shapes/marketShape.js'
import { PRODUCT_SHAPE_TYPE } from '../shapes/productShape.js'
import { type BoardLayout, defaultBoardLayout, type LayoutBox } from './boardLayout.js'
import { indexKeyAt } from './indexKeys.js'
import { linkShapeIdForModel, shapeIdForModel } from './modelIds.js'

/** A board made from a model: its chain-map shapes and its settings. */
export interface BoardFromModel {
  /** Companies, markets, products (children of their market lanes) and links, in model order. */
  shapes: ChainmapShape[]
  /** The model's global settings. */
  settings: BoardSettings
}

/** Options of {@link boardFromModel}. */
export interface BoardFromModelOptions {
  /** Page the shapes go on. Default `page:page`, tldraw's first page. */
  pageId?: TLParentId
}

/**
 * The board of a model (e.g. an imported JSON or a template): one shape per company, market,
 * product and link, with shape ids `shape:<kind>:<model id>` so that {@link modelFromBoard}
 * gives the same ids back. Positions come from `layout` (page coordinates, e.g. from elkjs),
 * falling back to {@link defaultBoardLayout}. Write `shapes` with `editor.store.put` or
 * `writeBoardRecords`, and `settings` with `writeSettings`.
 *
 * @param model - any value; validated with `@chainmap/sim`'s `parseModel` (throws its `ModelError`).
 */
export function boardFromModel(
  model: unknown,
  layout: BoardLayout = {},
  options: BoardFromModelOptions = {},
): BoardFromModel {
  const parsed: Model = parseModel(model)
  const fallback = defaultBoardLayout(parsed)
  const pageId = options.pageId ?? ('page:page' as TLParentId)
  let order = 1
  const nextIndex = () => indexKeyAt(order++)
  const shapes: ChainmapShape[] = []
  const boxOf = (given: LayoutBox | undefined, standard: Required<LayoutBox>) => ({
    x: given?.x ?? standard.x,
    y: given?.y ?? standard.y,
    w: given?.w ?? standard.w,
    h: given?.h ?? standard.h,
  })

  for (const company of parsed.companies) {
    const box = boxOf(layout.companies?.[company.id], required(fallback.companies, company.id))
    shapes.push(
      chainmapShapeRecord(
        COMPANY_SHAPE_TYPE,
        shapeIdForModel('company', company.id),
        { w: box.w, h: box.h, name: company.name, color: company.color ?? '' },
        { parentId: pageId, x: box.x, y: box.y, index: nextIndex() },
      ),
    )
  }
  const laneOf = new Map<string, { x: number; y: number }>()
  for (const market of parsed.markets) {
    const box = boxOf(layout.markets?.[market.id], required(fallback.markets, market.id))
    laneOf.set(market.id, box)
    const { name, reach, p, q } = market
    shapes.push(
      chainmapShapeRecord(
        MARKET_SHAPE_TYPE,
        shapeIdForModel('market', market.id),
        { w: box.w, h: box.h, name, reach, p, q },
        { parentId: pageId, x: box.x, y: box.y, index: nextIndex() },
      ),
    )
  }
  for (const product of parsed.products) {
    const box = boxOf(layout.products?.[product.id], required(fallback.products, product.id))
    const lane = laneOf.get(product.market) ?? { x: 0, y: 0 }
    const marketId = shapeIdForModel('market', product.market)
    const { name, appeal, launchDay, initialUsers, churn } = product
    shapes.push(
      chainmapShapeRecord(
        PRODUCT_SHAPE_TYPE,
        shapeIdForModel('product', product.id),
        {
          w: box.w,
          h: box.h,
          name,
          company: shapeIdForModel('company', product.company),
          market: marketId,
          appeal,
          launchDay,
          initialUsers,
          churn,
        },
        { parentId: marketId, x: box.x - lane.x, y: box.y - lane.y, index: nextIndex() },
      ),
    )
  }
  for (const link of parsed.links) {
    shapes.push(
      chainmapShapeRecord(
        LINK_SHAPE_TYPE,
        linkShapeIdForModel(link.from, link.to),
        {
          ...defaultLinkShapeProps(),
          from: shapeIdForModel('product', link.from),
          to: shapeIdForModel('product', link.to),
          funnel: link.funnel,
          lockIn: link.lockIn,
        },
        { parentId: pageId, index: nextIndex() },
      ),
    )
  }
  const { population, horizonDays, stepDays, seed, networkEffect, ecosystemPull } = parsed
  return {
    shapes,
    settings: { population, horizonDays, stepDays, seed, networkEffect, ecosystemPull },
  }
}

function required<V>(boxes: Record<string, V>, id: string): V {
  const box = boxes[id]
  if (box === undefined) throw new Error(`no default layout for "${id}"`)
  return box
}
