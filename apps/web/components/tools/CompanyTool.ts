import { BaseBoxShapeTool } from 'tldraw'
import { COMPANY } from '@/lib/shapes/chainShapeTypes'

/** Click or drag to place a company. */
export class CompanyTool extends BaseBoxShapeTool {
  static override id = COMPANY
  static override initial = 'idle'
  override shapeType = COMPANY as typeof COMPANY
}
