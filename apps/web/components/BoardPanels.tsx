import { useContext } from 'react'
import { ChartInspector } from './ChartInspector'
import { FileMenu } from './FileMenu'
import { Inspector } from './Inspector'
import { SettingsPanel } from './SettingsPanel'
import { SimulationRunnerContext } from './SimulationRunnerContext'
import { TimelineBar } from './TimelineBar'

/** Everything drawn in front of the canvas: settings, file menu, inspector, timeline. */
export function BoardPanels() {
  const runner = useContext(SimulationRunnerContext)
  return (
    <>
      <SettingsPanel />
      <FileMenu />
      <Inspector />
      <ChartInspector />
      {runner && <TimelineBar />}
    </>
  )
}
