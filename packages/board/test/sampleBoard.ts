import type { TLShape } from '@tldraw/tlschema'
import { createShapeId, type TLParentId, type TLShapeId } from '@tldraw/tlschema'
import { indexKeyAt } from '../src/model/indexKeys.js'
import { chainmapShapeRecord } from '../src/shapes/chainmapShapeRecord.js'
import { COMPANY_SHAPE_TYPE } from '../src/shapes/companyShape.js'
import { LINK_SHAPE_TYPE } from '../src/shapes/linkShape.js'
import { MARKET_SHAPE_TYPE } from '../src/shapes/marketShape.js'
import { defaultProductShapeProps, PRODUCT_SHAPE_TYPE } from '../src/shapes/productShape.js'

/** Shape ids of {@link sampleBoardShapes}, random like those of shapes drawn on a canvas. */
export interface SampleIds {
  giant: TLShapeId
  eco: TLShapeId
  shopping: TLShapeId
  social: TLShapeId
  shop: TLShapeId
  rival: TLShapeId
  chat: TLShapeId
  link: TLShapeId
}

/** Fresh random ids, as tldraw gives drawn shapes. */
export function sampleIds(): SampleIds {
  return {
    giant: createShapeId(),
    eco: createShapeId(),
    shopping: createShapeId(),
    social: createShapeId(),
    shop: createShapeId(),
    rival: createShapeId(),
    chat: createShapeId(),
    link: createShapeId(),
  }
}

/**
 * A small board as a person would draw it: two companies, two market lanes, three products
 * (children of their lanes) and one chain link.
 */
export function sampleBoardShapes(ids: SampleIds): TLShape[] {
  const page = 'page:page' as TLParentId
  const product = (
    id: TLShapeId,
    name: string,
    company: TLShapeId,
    market: TLShapeId,
    index: number,
  ) =>
    chainmapShapeRecord(
      PRODUCT_SHAPE_TYPE,
      id,
      { ...defaultProductShapeProps(), name, company, market, initialUsers: 1000, appeal: 1.5 },
      { parentId: market, x: 24 + index * 200, y: 48, index: indexKeyAt(10 + index) },
    )
  return [
    chainmapShapeRecord(
      COMPANY_SHAPE_TYPE,
      ids.giant,
      { w: 200, h: 64, name: 'Giant', color: '#ff6a00' },
      { parentId: page, index: indexKeyAt(1) },
    ),
    chainmapShapeRecord(
      COMPANY_SHAPE_TYPE,
      ids.eco,
      { w: 200, h: 64, name: 'Eco', color: '' },
      { parentId: page, y: 100, index: indexKeyAt(2) },
    ),
    chainmapShapeRecord(
      MARKET_SHAPE_TYPE,
      ids.shopping,
      { w: 960, h: 200, name: 'Shopping', reach: 500_000, p: 0.001, q: 0.05 },
      { parentId: page, x: 300, index: indexKeyAt(3) },
    ),
    chainmapShapeRecord(
      MARKET_SHAPE_TYPE,
      ids.social,
      { w: 960, h: 200, name: 'Social', reach: 800_000, p: 0.002, q: 0.08 },
      { parentId: page, x: 300, y: 240, index: indexKeyAt(4) },
    ),
    product(ids.shop, 'Shop', ids.giant, ids.shopping, 0),
    product(ids.rival, 'Rival shop', ids.eco, ids.shopping, 1),
    product(ids.chat, 'Chat', ids.eco, ids.social, 2),
    chainmapShapeRecord(
      LINK_SHAPE_TYPE,
      ids.link,
      { from: ids.chat, to: ids.rival, funnel: 0.02, lockIn: 0.4 },
      { parentId: page, index: indexKeyAt(20) },
    ),
  ]
}
