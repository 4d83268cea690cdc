import { defaultLinkShapeProps, linkShapeMigrations, linkShapeProps } from '@chainmap/board'
import { Edge2d, ShapeUtil, SVGContainer, Vec } from 'tldraw'
import { CHAIN_LINK, type ChainLinkShape } from '@/lib/shapes/chainShapeTypes'
import { linkSegment } from '@/lib/shapes/linkEnds'
import { ChainLinkPath } from './ChainLinkPath'

/**
 * A chain link: an arrow from one product to another (their shape ids in its props), with a
 * funnel (hazard per day that a holder of the source adopts the target) and a lock-in. Its
 * geometry is derived from the two products, so it follows them; its width follows the flow.
 */
export class ChainLinkShapeUtil extends ShapeUtil<ChainLinkShape> {
  static override type = CHAIN_LINK
  static override props = linkShapeProps
  static override migrations = linkShapeMigrations

  override getDefaultProps(): ChainLinkShape['props'] {
    return defaultLinkShapeProps()
  }

  override canResize(): boolean {
    return false
  }

  override hideSelectionBoundsFg(): boolean {
    return true
  }

  override hideSelectionBoundsBg(): boolean {
    return true
  }

  override hideResizeHandles(): boolean {
    return true
  }

  override hideRotateHandle(): boolean {
    return true
  }

  override getGeometry(shape: ChainLinkShape) {
    const segment = linkSegment(this.editor, shape)
    const start = segment?.start ?? new Vec(0, 0)
    const end = segment?.end ?? new Vec(1, 1)
    return new Edge2d({ start, end })
  }

  override component(shape: ChainLinkShape) {
    return (
      <SVGContainer>
        <ChainLinkPath shape={shape} />
      </SVGContainer>
    )
  }

  override getIndicatorPath(shape: ChainLinkShape) {
    const path = new Path2D()
    const segment = linkSegment(this.editor, shape)
    if (segment) {
      path.moveTo(segment.start.x, segment.start.y)
      path.lineTo(segment.end.x, segment.end.y)
    }
    return path
  }
}
