import { DefaultToolbar, DefaultToolbarContent, TldrawUiMenuToolItem } from 'tldraw'
import { CHAIN_LINK, COMPANY, MARKET, PRODUCT } from '@/lib/shapes/chainShapeTypes'

/** tldraw's toolbar with the chain-map tools first. */
export function ChainToolbar() {
  return (
    <DefaultToolbar>
      <TldrawUiMenuToolItem toolId={COMPANY} />
      <TldrawUiMenuToolItem toolId={MARKET} />
      <TldrawUiMenuToolItem toolId={PRODUCT} />
      <TldrawUiMenuToolItem toolId={CHAIN_LINK} />
      <DefaultToolbarContent />
    </DefaultToolbar>
  )
}
