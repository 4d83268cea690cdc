import { BaseBoxShapeUtil, HTMLContainer } from 'tldraw'
import { CHART, type ChartShape, chartShapeProps } from '@/lib/shapes/chartShapeType'
import { ChartBody } from './ChartBody'

/**
 * A live chart on the canvas: a market's share over time, or users per company. It stores only
 * what to draw; the numbers come from the local simulation, like every other output.
 */
export class ChartShapeUtil extends BaseBoxShapeUtil<ChartShape> {
  static override type = CHART
  static override props = chartShapeProps

  override getDefaultProps(): ChartShape['props'] {
    return { w: 360, h: 200, kind: 'company-users', market: '' }
  }

  override canEdit(): boolean {
    return false
  }

  override component(shape: ChartShape) {
    return (
      <HTMLContainer style={{ pointerEvents: 'all' }}>
        <ChartBody shape={shape} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: ChartShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}
