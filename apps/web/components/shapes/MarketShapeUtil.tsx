import { defaultMarketShapeProps, marketShapeMigrations, marketShapeProps } from '@chainmap/board'
import { BaseFrameLikeShapeUtil, HTMLContainer } from 'tldraw'
import { formatCount } from '@/lib/format'
import { MARKET, type MarketShape } from '@/lib/shapes/chainShapeTypes'

/** A market lane: a frame that holds its products, labelled with its reach and Bass p, q. */
export class MarketShapeUtil extends BaseFrameLikeShapeUtil<MarketShape> {
  static override type = MARKET
  static override props = marketShapeProps
  static override migrations = marketShapeMigrations

  override getDefaultProps(): MarketShape['props'] {
    return defaultMarketShapeProps()
  }

  override component(shape: MarketShape) {
    const { w, h, name, reach, p, q } = shape.props
    return (
      <HTMLContainer
        data-testid="market-shape"
        data-name={name}
        style={{
          width: w,
          height: h,
          // Solid, not dashed: Chromium rasterises a dashed rounded border slowly, and every
          // frame of a playing timeline re-rasterises the lanes under the changing numbers
          // (a dashed outline halved the frame rate of a 200-product board).
          border: '2px solid #ced4da',
          borderRadius: 12,
          background: 'rgba(241,243,245,.6)',
          pointerEvents: 'all',
        }}
      >
        <div style={{ padding: '6px 10px', fontSize: 14, color: '#495057' }}>
          <strong>{name}</strong> · reach {formatCount(reach)} · p {p} · q {q}
        </div>
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: MarketShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 12)
    return path
  }
}
