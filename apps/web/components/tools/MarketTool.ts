import { BaseBoxShapeTool } from 'tldraw'
import { MARKET } from '@/lib/shapes/chainShapeTypes'

/** Click or drag to place a market lane. */
export class MarketTool extends BaseBoxShapeTool {
  static override id = MARKET
  static override initial = 'idle'
  override shapeType = MARKET as typeof MARKET
}
