import type { RecordProps, TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/** tldraw shape type of a live chart. */
export const CHART_SHAPE_TYPE = 'chainmap-chart'

/** What a chart shows: one market's share over time, or users per company over time. */
export type ChartKind = 'market-share' | 'company-users'

/** Props of a chart shape. It holds no model data, only what to draw. */
export interface ChartShapeProps {
  /** Width on the canvas. */
  w: number
  /** Height on the canvas. */
  h: number
  /** What it shows. */
  kind: ChartKind
  /** The market whose share it shows (`market-share`), by model id; `''` for none. */
  market: string
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [CHART_SHAPE_TYPE]: ChartShapeProps
  }
}

/** A chart shape record. */
export type ChartShape = TLShape<typeof CHART_SHAPE_TYPE>

/** Validators for the chart props (drawn by apps/web; part of the board's schema all the same). */
export const chartShapeProps: RecordProps<ChartShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  kind: T.literalEnum('market-share', 'company-users'),
  market: T.string,
}
