import { createShapeId, type TLShapeId } from '@tldraw/tlschema'

/** The model sections whose rows have ids. */
export type ModelIdKind = 'company' | 'market' | 'product'

/**
 * The shape id of the model row `modelId` of kind `kind`: `shape:<kind>:<modelId>`. Shapes drawn
 * on the canvas get random ids instead (no `:` in them), used as their model ids unchanged.
 */
export function shapeIdForModel(kind: ModelIdKind, modelId: string): TLShapeId {
  return createShapeId(`${kind}:${modelId}`)
}

/** The model id of a shape: its id without `shape:` and without a `<kind>:` prefix. */
export function modelIdOfShape(shapeId: string, kind: ModelIdKind): string {
  const bare = shapeId.startsWith('shape:') ? shapeId.slice('shape:'.length) : shapeId
  return bare.startsWith(`${kind}:`) ? bare.slice(kind.length + 1) : bare
}

/** The shape id of the link from product `from` to product `to` (model ids). */
export function linkShapeIdForModel(from: string, to: string): TLShapeId {
  return createShapeId(`link:${encodeURIComponent(from)}:${encodeURIComponent(to)}`)
}
