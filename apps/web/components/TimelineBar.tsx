import { useEffect } from 'react'
import { useEditor, useValue } from 'tldraw'
import { withActiveScenario } from '@/lib/analysis/withActiveScenario'
import { liveOutputFor } from '@/lib/sim/LiveOutput'
import { currentModel } from '@/lib/sim/startLiveSimulation'
import { useBoardSession } from './BoardSessionContext'
import { panelStyle } from './panelStyle'
import { useSimulationRunner } from './SimulationRunnerContext'

/** Days of simulated time the timeline plays per second of wall time, as a share of the horizon. */
const HORIZON_PER_SECOND = 1 / 8

/**
 * Play, pause and scrub through the simulated days; also starts the on-demand agents run
 * (progress, then p10/p90 bands on the sparklines).
 */
export function TimelineBar() {
  const editor = useEditor()
  const session = useBoardSession()
  const runner = useSimulationRunner()
  const output = liveOutputFor(editor)
  const days = useValue('timeline days', () => output.result.get()?.days ?? null, [output])
  const at = useValue('timeline index', () => output.dayIndex(), [output])
  const playing = useValue(output.playing)
  const problem = useValue(output.problem)
  const approximate = useValue('timeline engine', () => {
    const result = output.result.get()
    return result?.engine === 'agents' ? result : null
  }, [output])
  const agents = useValue(output.agents)
  const computing = useValue(output.computing)
  const runMs = useValue(output.runMs)
  useEffect(() => {
    if (!playing) return
    let frame = 0
    let last = performance.now()
    let position = output.dayIndex()
    const tick = (now: number) => {
      const count = output.result.get()?.days.length ?? 0
      if (count > 1) {
        position += ((now - last) / 1000) * HORIZON_PER_SECOND * (count - 1)
        if (position >= count - 1) {
          output.playhead.set(count - 1)
          output.playing.set(false)
          return
        }
        output.playhead.set(Math.floor(position))
      }
      last = now
      frame = requestAnimationFrame(tick)
    }
    frame = requestAnimationFrame(tick)
    return () => cancelAnimationFrame(frame)
  }, [playing, output])
  const count = days?.length ?? 0
  const day = days ? (days[at] ?? 0) : 0
  return (
    <div
      data-testid="timeline"
      data-computing={computing}
      data-run-ms={runMs === null ? undefined : runMs.toFixed(1)}
      style={{
        ...panelStyle,
        left: '50%',
        transform: 'translateX(-50%)',
        bottom: 64,
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        minWidth: 460,
      }}
    >
      <button
        type="button"
        data-testid="timeline-play"
        disabled={count < 2}
        onClick={() => {
          if (!playing && at >= count - 1) output.playhead.set(0)
          output.playing.set(!playing)
        }}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="range"
        aria-label="Simulated day"
        data-testid="timeline-scrub"
        min={0}
        max={Math.max(0, count - 1)}
        value={at}
        disabled={count < 2}
        onChange={(event) => {
          output.playing.set(false)
          output.playhead.set(Number(event.target.value))
        }}
        style={{ flex: 1 }}
      />
      <span data-testid="timeline-day" style={{ minWidth: 64 }}>
        day {day}
      </span>
      {agents.status === 'running' ? (
        <button type="button" data-testid="agents-cancel" onClick={() => runner.cancelAgents()}>
          Agents {Math.round(agents.progress * 100)}% — stop
        </button>
      ) : (
        <button
          type="button"
          data-testid="agents-run"
          disabled={count < 2}
          title="Run the agent-based engine 20 times for p10/p50/p90 bands"
          onClick={() => {
            try {
              const model = withActiveScenario(editor, currentModel(editor, session))
              runner.runAgents(model, 20, 20_000)
            } catch (error) {
              // The active scenario no longer fits the board: say so instead of running without it.
              output.agents.set({ status: 'error', message: (error as Error).message })
            }
          }}
        >
          {agents.status === 'done' ? 'Agents ✓ (rerun)' : 'Run agents'}
        </button>
      )}
      {agents.status === 'error' && (
        <span role="alert" style={{ color: '#e03131', fontSize: 11 }}>
          {agents.message}
        </span>
      )}
      {approximate && (
        <span
          data-testid="approximate"
          style={{ fontSize: 11, color: '#495057' }}
          title="The board is too large for the exact engine"
        >
          ≈ seeded agents
        </span>
      )}
      {problem && (
        <span data-testid="model-problem" role="alert" style={{ color: '#e03131', fontSize: 11 }}>
          {problem}
        </span>
      )}
    </div>
  )
}
