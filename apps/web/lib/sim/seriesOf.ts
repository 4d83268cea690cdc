import { modelIdOfShape } from '@chainmap/board'
import { linkKey, type SimulationResult } from '@chainmap/sim'
import type { ChainLinkShape } from '@/lib/shapes/chainShapeTypes'

/** The series of a product shape in a result. */
export function productSeriesOf(result: SimulationResult, shapeId: string) {
  return result.products[modelIdOfShape(shapeId, 'product')]
}

/** The series of a company shape in a result. */
export function companySeriesOf(result: SimulationResult, shapeId: string) {
  return result.companies[modelIdOfShape(shapeId, 'company')]
}

/** The series of a chain link shape in a result. */
export function linkSeriesOf(result: SimulationResult, link: ChainLinkShape) {
  const key = linkKey(
    modelIdOfShape(link.props.from, 'product'),
    modelIdOfShape(link.props.to, 'product'),
  )
  return result.links[key]
}
