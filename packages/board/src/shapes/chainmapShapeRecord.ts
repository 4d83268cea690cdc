import type { TLParentId, TLShape, TLShapeId } from '@tldraw/tlschema'
import type { ChainmapShapeType } from './chainmapShapes.js'

/** tldraw's fractional index key type (from `@tldraw/utils`, reached through the shape type). */
export type IndexKey = TLShape['index']

/** Where and how to place a new shape: everything of a shape record except type, id and props. */
export interface ShapePlacement {
  /** Parent page or shape (a product's market lane). Default `page:page`, tldraw's first page. */
  parentId?: TLParentId
  /** Position relative to the parent. Default 0, 0. */
  x?: number
  /** Position relative to the parent. Default 0, 0. */
  y?: number
  /** Fractional index among siblings. Default `a1`. */
  index?: IndexKey
}

/** A complete, valid shape record of a chain-map type with the given props. */
export function chainmapShapeRecord<K extends ChainmapShapeType>(
  type: K,
  id: TLShapeId,
  props: TLShape<K>['props'],
  placement: ShapePlacement = {},
): TLShape<K> {
  return {
    id,
    typeName: 'shape',
    type,
    x: placement.x ?? 0,
    y: placement.y ?? 0,
    rotation: 0,
    index: placement.index ?? ('a1' as IndexKey),
    parentId: placement.parentId ?? ('page:page' as TLParentId),
    isLocked: false,
    opacity: 1,
    props,
    meta: {},
  } as TLShape<K>
}
