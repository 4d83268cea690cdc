import { BaseBoxShapeUtil, HTMLContainer } from 'tldraw'
import {
  COMPANY,
  COMPANY_COLORS,
  type CompanyShape,
  companyProps,
} from '@/lib/shapes/chainShapeTypes'

/** A company card: its name on its colour; products reference it and wear the colour. */
export class CompanyShapeUtil extends BaseBoxShapeUtil<CompanyShape> {
  static override type = COMPANY
  static override props = companyProps

  override getDefaultProps(): CompanyShape['props'] {
    return { w: 180, h: 56, name: 'Company', color: COMPANY_COLORS[0] }
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
          background: shape.props.color,
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
