import { type Editor, type TLShapeId, Vec } from 'tldraw'
import { type ChainLinkShape, PRODUCT } from './chainShapeTypes'

/** The segment between two products' boxes, in page coordinates, or null if one is gone. */
export function productSegment(
  editor: Editor,
  fromId: string,
  toId: string,
): { start: Vec; end: Vec } | null {
  const from = editor.getShape(fromId as TLShapeId)
  const to = editor.getShape(toId as TLShapeId)
  if (from?.type !== PRODUCT || to?.type !== PRODUCT) return null
  const fromBox = editor.getShapePageBounds(from)
  const toBox = editor.getShapePageBounds(to)
  if (!fromBox || !toBox) return null
  const a = fromBox.center
  const b = toBox.center
  return {
    start: clipToBox(a, b, fromBox.w / 2, fromBox.h / 2),
    end: clipToBox(b, a, toBox.w / 2, toBox.h / 2),
  }
}

/**
 * The segment a chain link draws, in the link's own coordinates: from the edge of the `from`
 * product's box to the edge of the `to` product's box, along the line between their centres.
 */
export function linkSegment(editor: Editor, link: ChainLinkShape): { start: Vec; end: Vec } | null {
  const segment = productSegment(editor, link.props.from, link.props.to)
  if (!segment) return null
  const transform = editor.getShapePageTransform(link)
  return {
    start: Vec.From(transform.clone().invert().applyToPoint(segment.start)),
    end: Vec.From(transform.clone().invert().applyToPoint(segment.end)),
  }
}

/** Where the ray from `centre` towards `target` leaves a box of half-size (hw, hh). */
function clipToBox(centre: Vec, target: Vec, hw: number, hh: number): Vec {
  const d = Vec.Sub(target, centre)
  if (d.x === 0 && d.y === 0) return centre.clone()
  const tx = d.x === 0 ? Number.POSITIVE_INFINITY : hw / Math.abs(d.x)
  const ty = d.y === 0 ? Number.POSITIVE_INFINITY : hh / Math.abs(d.y)
  const t = Math.min(tx, ty, 1)
  return Vec.Add(centre, Vec.Mul(d, t))
}
