import type { Editor, TLShapeId } from 'tldraw'
import { COMPANY, type CompanyShape } from './chainShapeTypes'

const NO_COMPANY_COLOR = '#868e96'

/** The company shape a product refers to, if it still exists. */
export function companyOf(editor: Editor, companyId: string): CompanyShape | undefined {
  if (!companyId) return undefined
  const shape = editor.getShape(companyId as TLShapeId)
  return shape?.type === COMPANY ? (shape as CompanyShape) : undefined
}

/** The colour a product wears: its company's, or grey when it has none. */
export function companyColorOf(editor: Editor, companyId: string): string {
  // A company without a colour has `''` (models may leave it out): that is grey too.
  return companyOf(editor, companyId)?.props.color || NO_COMPANY_COLOR
}
