import { ModelError, parseModel } from '@chainmap/sim'
import type { BoardModel } from './boardToModel'

/** Model section a shape's fields live in. */
export type ModelSection = 'companies' | 'markets' | 'products' | 'links'

/**
 * The sim's own validation message for one field after a proposed edit, or null if the edit is
 * valid. `modelId` identifies the item (shape id; for links the index in `linkShapeIds`), and
 * `field` is the model field (`churn`, `lockIn`…); a top-level setting has section null.
 */
export function fieldProblem(
  board: BoardModel,
  section: ModelSection | null,
  shapeId: string | null,
  field: string,
  value: unknown,
): string | null {
  const model = structuredClone(board.model) as Record<string, unknown>
  let path = field
  if (section === null) {
    model[field] = value
  } else {
    const items = model[section] as Array<Record<string, unknown>>
    const index =
      section === 'links'
        ? board.linkShapeIds.indexOf(shapeId ?? '')
        : items.findIndex((item) => item.id === shapeId)
    const item = items[index]
    if (!item) return null
    item[field] = value
    path = `${section}[${index}].${field}`
  }
  try {
    parseModel(model)
    return null
  } catch (error) {
    if (!(error instanceof ModelError)) throw error
    return error.problems.find((problem) => problem.path === path)?.message ?? null
  }
}
