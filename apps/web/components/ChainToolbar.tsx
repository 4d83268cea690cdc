import { DefaultToolbar, DefaultToolbarContent, TldrawUiMenuToolItem } from 'tldraw'
import { CHAIN_LINK, COMPANY, MARKET, PRODUCT } from '@/lib/shapes/chainShapeTypes'
import { CHART } from '@/lib/shapes/chartShapeType'

/** tldraw's toolbar with the chain-map tools first. */
export function ChainToolbar() {
  return (
    <DefaultToolbar>
      <TldrawUiMenuToolItem toolId={COMPANY} />
      <TldrawUiMenuToolItem toolId={MARKET} />
      <TldrawUiMenuToolItem toolId={PRODUCT} />
      <TldrawUiMenuToolItem toolId={CHAIN_LINK} />
      <TldrawUiMenuToolItem toolId={CHART} />
      <DefaultToolbarContent />
    </DefaultToolbar>
  )
}
