import { createShapeId, StateNode, type TLShape, type TLShapeId } from 'tldraw'
import { CHAIN_LINK, PRODUCT } from '@/lib/shapes/chainShapeTypes'

/** Press on one product and release on another to link them (from → to). */
export class ChainLinkTool extends StateNode {
  static override id = CHAIN_LINK
  private fromId: TLShapeId | null = null

  override onEnter(): void {
    this.editor.setCursor({ type: 'cross', rotation: 0 })
  }

  override onPointerDown(): void {
    this.fromId = this.productUnderPointer()?.id ?? null
  }

  override onPointerUp(): void {
    const from = this.fromId
    const to = this.productUnderPointer()?.id
    this.fromId = null
    if (!from || !to || from === to) return
    const id = createShapeId()
    this.editor.run(() => {
      this.editor.createShape({
        id,
        type: CHAIN_LINK,
        parentId: this.editor.getCurrentPageId(),
        x: 0,
        y: 0,
        props: { from, to },
      })
      this.editor.select(id)
    })
    this.editor.setCurrentTool('select')
  }

  override onCancel(): void {
    this.fromId = null
    this.editor.setCurrentTool('select')
  }

  private productUnderPointer(): TLShape | undefined {
    return this.editor.getShapeAtPoint(this.editor.inputs.getCurrentPagePoint(), {
      hitInside: true,
      filter: (shape) => shape.type === PRODUCT,
    })
  }
}
