import { type ReactNode, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { analysisStateFor } from '@/lib/analysis/AnalysisState'
import { panelStyle } from '../panelStyle'
import { CalibrateTab } from './CalibrateTab'
import { GoalSeekTab } from './GoalSeekTab'
import { ScenariosTab } from './ScenariosTab'
import { SensitivityTab } from './SensitivityTab'
import { useBoardModel } from './useBoardModel'

const TABS = [
  ['scenarios', 'Scenarios'],
  ['sensitivity', 'Sensitivity'],
  ['goalseek', 'Goal seek'],
  ['calibrate', 'Calibrate'],
] as const

type Tab = (typeof TABS)[number][0]

/**
 * Strategy analysis over the board: shared scenarios (your own active one, comparisons),
 * sensitivity, goal seek and calibration. A side drawer; closed, it is one button (bottom left)
 * that names the scenario your live numbers show.
 */
export function AnalysisPanel() {
  const editor = useEditor()
  const analysis = analysisStateFor(editor)
  const active = useValue(analysis.activeScenario)
  const [open, setOpen] = useState(false)
  const badge = (
    <span
      data-testid="active-scenario-badge"
      data-active={active?.name ?? ''}
      style={{ fontSize: 11, color: active ? '#1971c2' : '#868e96' }}
    >
      live: {active ? active.name : 'board as drawn'}
    </span>
  )
  if (!open) {
    return (
      // Bottom left, clear of the settings panel and file menu when they open.
      <div style={{ ...panelStyle, left: 8, bottom: 56, padding: 6, display: 'flex', gap: 6 }}>
        <button type="button" data-testid="analysis-toggle" onClick={() => setOpen(true)}>
          ▸ Analysis
        </button>
        {badge}
      </div>
    )
  }
  return <AnalysisDrawer badge={badge} onClose={() => setOpen(false)} />
}

/**
 * The open drawer. Only mounted while open: it reads the board's model on every edit, which a
 * closed drawer must not cost the canvas.
 */
function AnalysisDrawer({ badge, onClose }: { badge: ReactNode; onClose: () => void }) {
  const models = useBoardModel()
  const [tab, setTab] = useState<Tab>('scenarios')
  return (
    <div
      data-testid="analysis-panel"
      role="dialog"
      aria-label="Strategy analysis"
      // Keys typed here are for the panel's inputs, not tldraw's shortcuts (Delete, letters).
      onKeyDown={(event) => event.stopPropagation()}
      onKeyUp={(event) => event.stopPropagation()}
      onWheel={(event) => event.stopPropagation()}
      style={{
        ...panelStyle,
        left: 8,
        top: 56,
        bottom: 120,
        width: 400,
        overflowY: 'auto',
        zIndex: 310,
      }}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 6, marginBottom: 6 }}>
        <button type="button" data-testid="analysis-toggle" onClick={onClose}>
          ▾ Analysis
        </button>
        {badge}
      </div>
      <div role="tablist" style={{ display: 'flex', gap: 2, marginBottom: 8 }}>
        {TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            data-testid={`analysis-tab-${key}`}
            onClick={() => setTab(key)}
            style={{
              flex: 1,
              fontWeight: tab === key ? 700 : 400,
              borderBottom: tab === key ? '2px solid #1971c2' : '2px solid transparent',
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {!models.drawn || !models.live ? (
        <p role="alert" style={{ color: '#e03131', fontSize: 12 }}>
          The board cannot be analysed yet: {models.problem}
        </p>
      ) : (
        <>
          {tab === 'scenarios' && <ScenariosTab model={models.drawn} />}
          {tab === 'sensitivity' && <SensitivityTab model={models.live} />}
          {tab === 'goalseek' && <GoalSeekTab model={models.live} />}
          {tab === 'calibrate' && <CalibrateTab model={models.live} />}
        </>
      )}
    </div>
  )
}
