import { Inspector } from './Inspector'
import { SettingsPanel } from './SettingsPanel'

/** Everything drawn in front of the canvas: settings, inspector, timeline. */
export function BoardPanels() {
  return (
    <>
      <SettingsPanel />
      <Inspector />
    </>
  )
}
