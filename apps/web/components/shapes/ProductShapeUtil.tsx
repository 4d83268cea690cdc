import {
  defaultProductShapeProps,
  productShapeMigrations,
  productShapeProps,
} from '@chainmap/board'
import { BaseBoxShapeUtil, HTMLContainer } from 'tldraw'
import { PRODUCT, type ProductShape } from '@/lib/shapes/chainShapeTypes'
import { ProductCard } from './ProductCard'

/** A product: wears its company's colour, sits in a market lane, shows its live numbers. */
export class ProductShapeUtil extends BaseBoxShapeUtil<ProductShape> {
  static override type = PRODUCT
  static override props = productShapeProps
  static override migrations = productShapeMigrations

  override getDefaultProps(): ProductShape['props'] {
    return { ...defaultProductShapeProps(), h: 120 }
  }

  override canEdit(): boolean {
    return false
  }

  override component(shape: ProductShape) {
    return (
      <HTMLContainer style={{ pointerEvents: 'all' }}>
        <ProductCard shape={shape} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: ProductShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}
