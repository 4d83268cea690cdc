import {
  companyShapeMigrations,
  companyShapeProps,
  defaultCompanyShapeProps,
} from '@chainmap/board'
import { BaseBoxShapeUtil, HTMLContainer } from 'tldraw'
import { COMPANY, COMPANY_COLORS, type CompanyShape } from '@/lib/shapes/chainShapeTypes'

/** A company card: its name on its colour; products reference it and wear the colour. */
export class CompanyShapeUtil extends BaseBoxShapeUtil<CompanyShape> {
  static override type = COMPANY
  static override props = companyShapeProps
  static override migrations = companyShapeMigrations

  override getDefaultProps(): CompanyShape['props'] {
    const existing = this.editor.getCurrentPageShapes().filter((s) => s.type === COMPANY).length
    return {
      ...defaultCompanyShapeProps(),
      color: COMPANY_COLORS[existing % COMPANY_COLORS.length] ?? COMPANY_COLORS[0],
    }
  }

  override canEdit(): boolean {
    return false
  }

  override component(shape: CompanyShape) {
    return (
      <HTMLContainer
        data-testid="company-shape"
        data-name={shape.props.name}
        style={{
          width: shape.props.w,
          height: shape.props.h,
          background: shape.props.color || '#868e96',
          color: 'white',
          borderRadius: 10,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          fontWeight: 700,
          fontSize: 18,
          boxShadow: '0 1px 3px rgba(0,0,0,.25)',
        }}
      >
        {shape.props.name}
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: CompanyShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}
