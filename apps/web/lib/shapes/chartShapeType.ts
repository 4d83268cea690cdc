import { CHART_SHAPE_TYPE } from '@chainmap/board'

export type { ChartKind, ChartShape } from '@chainmap/board'
export { chartShapeProps } from '@chainmap/board'

/**
 * A live chart: one market's share over time, or users per company over time. Its schema lives in
 * `@chainmap/board` with the other shapes, so that the sync server knows every record type.
 */
export const CHART = CHART_SHAPE_TYPE
