import type { RecordProps, TLShape } from '@tldraw/tlschema'
import { T } from 'tldraw'

/** A live chart: one market's share over time, or users per company over time. */
export const CHART = 'chainmap-chart'

/** What a chart shows. */
export type ChartKind = 'market-share' | 'company-users'

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [CHART]: { w: number; h: number; kind: ChartKind; market: string }
  }
}

/** A chart shape record (apps/web only: it holds no model data, just what to draw). */
export type ChartShape = TLShape<typeof CHART>

/** Validators for the chart props. */
export const chartShapeProps: RecordProps<ChartShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  kind: T.literalEnum('market-share', 'company-users'),
  market: T.string,
}
