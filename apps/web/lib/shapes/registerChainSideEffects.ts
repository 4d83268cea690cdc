import type { Editor, TLShape, TLShapeId } from 'tldraw'
import {
  CHAIN_LINK,
  type ChainLinkShape,
  MARKET,
  PRODUCT,
  type ProductShape,
} from './chainShapeTypes'

/**
 * Keeps the chain map consistent as this person edits (remote changes arrive already
 * consistent): a product's `market` follows the lane it is dropped into, and deleting a product
 * deletes the links into and out of it.
 */
export function registerChainSideEffects(editor: Editor): () => void {
  const syncMarket = (shape: TLShape) => {
    if (shape.type !== PRODUCT) return
    const product = shape as ProductShape
    const parent = editor.getShape(product.parentId as TLShapeId)
    const market = parent?.type === MARKET ? parent.id : ''
    if (product.props.market !== market) {
      editor.updateShape<ProductShape>({ id: product.id, type: PRODUCT, props: { market } })
    }
  }
  const offCreate = editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
    if (source === 'user') syncMarket(shape)
  })
  const offChange = editor.sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => {
    if (source === 'user' && prev.parentId !== next.parentId) syncMarket(next)
  })
  const offDelete = editor.sideEffects.registerAfterDeleteHandler('shape', (shape, source) => {
    if (source !== 'user' || shape.type !== PRODUCT) return
    const dangling = editor
      .getCurrentPageShapes()
      .filter(
        (s): s is ChainLinkShape =>
          s.type === CHAIN_LINK &&
          ((s as ChainLinkShape).props.from === shape.id ||
            (s as ChainLinkShape).props.to === shape.id),
      )
      .map((s) => s.id)
    if (dangling.length > 0) editor.deleteShapes(dangling)
  })
  return () => {
    offCreate()
    offChange()
    offDelete()
  }
}
