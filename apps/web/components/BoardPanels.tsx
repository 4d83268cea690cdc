import { useContext } from 'react'
import { AnalysisPanel } from './analysis/AnalysisPanel'
import { ChartInspector } from './ChartInspector'
import { FileMenu } from './FileMenu'
import { Inspector } from './Inspector'
import { SettingsPanel } from './SettingsPanel'
import { SimulationRunnerContext } from './SimulationRunnerContext'
import { TimelineBar } from './TimelineBar'

/** Everything drawn in front of the canvas: settings, file menu, inspector, timeline, analysis. */
export function BoardPanels() {
  const runner = useContext(SimulationRunnerContext)
  return (
    <>
      {/* One column on the left, so the settings push the file menu down as they open. */}
      <div
        style={{
          position: 'absolute',
          left: 8,
          top: 56,
          maxHeight: 'calc(100% - 150px)',
          overflowY: 'auto',
          display: 'flex',
          flexDirection: 'column',
          alignItems: 'flex-start',
          gap: 8,
          padding: 2,
          pointerEvents: 'none',
          zIndex: 300,
        }}
      >
        <SettingsPanel />
        <FileMenu />
      </div>
      <Inspector />
      <ChartInspector />
      {runner && <TimelineBar />}
      {runner && <AnalysisPanel />}
    </>
  )
}
