import type { RecordProps, TLPropsMigrations, TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

/** tldraw shape type of a company card. */
export const COMPANY_SHAPE_TYPE = 'chainmap-company'

/** Props of a company shape. Its model id is derived from the shape id (see `modelIdOfShape`). */
export interface CompanyShapeProps {
  /** Width of the card on the canvas. */
  w: number
  /** Height of the card on the canvas. */
  h: number
  /** Display name (the model's `companies[i].name`). */
  name: string
  /** CSS colour its products wear, e.g. `#e8590c`; `''` means none chosen (the model omits `color`). */
  color: string
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [COMPANY_SHAPE_TYPE]: CompanyShapeProps
  }
}

/** A company shape record. */
export type CompanyShape = TLShape<typeof COMPANY_SHAPE_TYPE>

/** tldraw validators for {@link CompanyShapeProps} (use as `ShapeUtil.props`). */
export const companyShapeProps: RecordProps<CompanyShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  name: T.string,
  color: T.string,
}

/** Props migrations of the company shape (use as `ShapeUtil.migrations`). Version 0: no migrations yet. */
export const companyShapeMigrations: TLPropsMigrations = { sequence: [] }

/** Props of a freshly drawn company (use in `ShapeUtil.getDefaultProps`). */
export function defaultCompanyShapeProps(): CompanyShapeProps {
  return { w: 200, h: 64, name: 'Company', color: '' }
}
