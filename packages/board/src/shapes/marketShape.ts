import type { RecordProps, TLPropsMigrations, TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/** tldraw shape type of a market lane: a frame that holds the market's product shapes as children. */
export const MARKET_SHAPE_TYPE = 'chainmap-market'

/** Props of a market shape (a lane). Its model id is derived from the shape id. */
export interface MarketShapeProps {
  /** Width of the lane. */
  w: number
  /** Height of the lane. */
  h: number
  /** Display name (the model's `markets[i].name`). */
  name: string
  /** People who could ever need this market. */
  reach: number
  /** Bass innovation coefficient, per day. */
  p: number
  /** Bass imitation coefficient, per day. */
  q: number
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [MARKET_SHAPE_TYPE]: MarketShapeProps
  }
}

/** A market shape record. */
export type MarketShape = TLShape<typeof MARKET_SHAPE_TYPE>

/** tldraw validators for {@link MarketShapeProps}. Ranges are checked by the sim's rules, not here. */
export const marketShapeProps: RecordProps<MarketShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  name: T.string,
  reach: T.number,
  p: T.number,
  q: T.number,
}

/** Props migrations of the market shape. Version 0: no migrations yet. */
export const marketShapeMigrations: TLPropsMigrations = { sequence: [] }

/** Props of a freshly drawn market lane. */
export function defaultMarketShapeProps(): MarketShapeProps {
  return { w: 960, h: 240, name: 'Market', reach: 1_000_000, p: 0.01, q: 0.1 }
}
