import { BaseBoxShapeTool } from 'tldraw'
import { PRODUCT } from '@/lib/shapes/chainShapeTypes'

/** Click or drag to place a product; dropped inside a market lane it joins that market. */
export class ProductTool extends BaseBoxShapeTool {
  static override id = PRODUCT
  static override initial = 'idle'
  override shapeType = PRODUCT as typeof PRODUCT
}
