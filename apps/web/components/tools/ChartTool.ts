import { BaseBoxShapeTool } from 'tldraw'
import { CHART } from '@/lib/shapes/chartShapeType'

/** Click or drag to place a live chart (pick what it shows in the inspector). */
export class ChartTool extends BaseBoxShapeTool {
  static override id = CHART
  static override initial = 'idle'
  override shapeType = CHART as typeof CHART
}
