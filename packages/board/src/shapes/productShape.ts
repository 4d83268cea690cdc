import type { RecordProps, TLPropsMigrations, TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/** tldraw shape type of a product card (normally a child of its market lane). */
export const PRODUCT_SHAPE_TYPE = 'chainmap-product'

/** Props of a product shape. Its model id is derived from the shape id. */
export interface ProductShapeProps {
  /** Width of the card. */
  w: number
  /** Height of the card. */
  h: number
  /** Display name (the model's `products[i].name`). */
  name: string
  /** Shape id of the owning company shape, `''` until chosen. */
  company: string
  /** Shape id of the market lane it competes in, `''` until chosen. The source of truth, not `parentId`. */
  market: string
  /** Relative attractiveness when a person picks among a market's products (> 0). */
  appeal: number
  /** Simulated day the product launches. */
  launchDay: number
  /** People given the product at launch. */
  initialUsers: number
  /** Base churn hazard per day. */
  churn: number
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [PRODUCT_SHAPE_TYPE]: ProductShapeProps
  }
}

/** A product shape record. */
export type ProductShape = TLShape<typeof PRODUCT_SHAPE_TYPE>

/** tldraw validators for {@link ProductShapeProps}. Ranges are checked by the sim's rules, not here. */
export const productShapeProps: RecordProps<ProductShape> = {
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

/** Props migrations of the product shape. Version 0: no migrations yet. */
export const productShapeMigrations: TLPropsMigrations = { sequence: [] }

/** Props of a freshly drawn product. */
export function defaultProductShapeProps(): ProductShapeProps {
  return {
    w: 180,
    h: 96,
    name: 'Product',
    company: '',
    market: '',
    appeal: 1,
    launchDay: 0,
    initialUsers: 0,
    churn: 0.001,
  }
}
