import type { RecordProps, TLPropsMigrations, TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/**
 * tldraw shape type of a chain link: an arrow from one product to another. Its ends are the
 * `from`/`to` props (product shape ids), not tldraw bindings, so one record carries the whole link
 * and its geometry is derived from the two products' positions when drawn.
 */
export const LINK_SHAPE_TYPE = 'chainmap-link'

/** Props of a chain link shape. Its model id is derived from the shape id. */
export interface LinkShapeProps {
  /** Shape id of the product that feeds users. */
  from: string
  /** Shape id of the product that receives them. */
  to: string
  /** Hazard per day that a holder of `from` adopts `to`. */
  funnel: number
  /** In [0, 1]: holding both ends multiplies each end's churn by (1 − lockIn). */
  lockIn: number
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [LINK_SHAPE_TYPE]: LinkShapeProps
  }
}

/** A chain link shape record. */
export type LinkShape = TLShape<typeof LINK_SHAPE_TYPE>

/** tldraw validators for {@link LinkShapeProps}. Ranges are checked by the sim's rules, not here. */
export const linkShapeProps: RecordProps<LinkShape> = {
  from: T.string,
  to: T.string,
  funnel: T.number,
  lockIn: T.number,
}

/** Props migrations of the chain link shape. Version 0: no migrations yet. */
export const linkShapeMigrations: TLPropsMigrations = { sequence: [] }

/** Props of a freshly drawn link between two products. */
export function defaultLinkShapeProps(): LinkShapeProps {
  return { from: '', to: '', funnel: 0.01, lockIn: 0.2 }
}
