import { createScenario } from '@chainmap/board'
import type { Model } from '@chainmap/sim'
import { useMemo, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { analysisStateFor } from '@/lib/analysis/AnalysisState'
import { formatOutcomeValue } from '@/lib/analysis/formatOutcomeValue'
import { outcomeChoices, parameterChoices } from '@/lib/analysis/outcomeChoices'
import { uniqueScenarioName } from '@/lib/analysis/uniqueScenarioName'
import { useBoardSession } from '../BoardSessionContext'
import { defaultOutcome, OutcomePicker } from './OutcomePicker'

/**
 * Goal seek: the smallest value of a parameter that reaches a target outcome (bisection in a
 * worker), written back to the board as a scenario on request.
 */
export function GoalSeekTab({ model }: { model: Model }) {
  const editor = useEditor()
  const session = useBoardSession()
  const analysis = analysisStateFor(editor)
  const state = useValue(analysis.goalSeek)
  const active = useValue(analysis.activeScenario)
  const readOnly = useValue('read-only', () => editor.getIsReadonly(), [editor])
  const parameters = useMemo(() => parameterChoices(model), [model])
  const choices = useMemo(() => outcomeChoices(model), [model])
  const [parameter, setParameter] = useState(() => parameters[0]?.value ?? '')
  const [outcome, setOutcome] = useState(() => defaultOutcome(model)?.value ?? '')
  const [target, setTarget] = useState('0.4')
  const [direction, setDirection] = useState<'atLeast' | 'atMost'>('atLeast')
  const [problem, setProblem] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const chosen = choices.find((c) => c.value === outcome) ?? choices[0]
  const run = () => {
    const number = Number(target)
    if (target.trim() === '' || !Number.isFinite(number)) {
      setProblem('the target must be a number (a share as 0–1)')
      return
    }
    if (!chosen) return
    setProblem(null)
    setSaved(null)
    analysis.start({
      kind: 'goalSeek',
      model,
      parameter,
      outcome: chosen.outcome,
      target: number,
      direction,
    })
  }
  const shown = chosen
  return (
    <div data-testid="goalseek-tab">
      <label style={{ display: 'block', marginBottom: 6 }}>
        <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>Parameter to vary</span>
        <select
          data-testid="goalseek-parameter"
          value={parameter}
          onChange={(event) => setParameter(event.target.value)}
          style={{ width: '100%' }}
        >
          {parameters.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
      <OutcomePicker
        model={model}
        value={chosen?.value ?? ''}
        onChange={(choice) => setOutcome(choice.value)}
        testId="goalseek-outcome"
      />
      <div style={{ display: 'flex', gap: 4, alignItems: 'center', marginBottom: 6 }}>
        <select
          data-testid="goalseek-direction"
          aria-label="Direction"
          value={direction}
          onChange={(event) => setDirection(event.target.value as 'atLeast' | 'atMost')}
        >
          <option value="atLeast">at least</option>
          <option value="atMost">at most</option>
        </select>
        <input
          data-testid="goalseek-target"
          aria-label="Target"
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          style={{ width: 90 }}
        />
        {state.status === 'running' ? (
          <button
            type="button"
            data-testid="goalseek-cancel"
            onClick={() => analysis.cancel('goalSeek')}
          >
            Seeking… stop
          </button>
        ) : (
          <button type="button" data-testid="goalseek-run" onClick={run}>
            Seek smallest value
          </button>
        )}
      </div>
      {problem && (
        <p role="alert" style={{ color: '#e03131', fontSize: 11 }}>
          {problem}
        </p>
      )}
      {state.status === 'error' && (
        <p role="alert" data-testid="goalseek-error" style={{ color: '#e03131', fontSize: 11 }}>
          {state.message}
        </p>
      )}
      {state.status === 'done' && (
        <div
          data-testid="goalseek-result"
          data-value={state.value.value}
          data-outcome={state.value.outcomeValue}
          style={{ fontSize: 12 }}
        >
          <p style={{ margin: '4px 0' }}>
            <code>{state.value.parameter}</code> ={' '}
            <strong>{state.value.value.toPrecision(4)}</strong> gives{' '}
            {shown
              ? formatOutcomeValue(shown.format, state.value.outcomeValue)
              : state.value.outcomeValue}{' '}
            ({state.value.evaluations} simulations, {state.ms.toFixed(0)} ms)
          </p>
          <button
            type="button"
            data-testid="goalseek-save"
            disabled={readOnly}
            onClick={() => {
              try {
                const name = uniqueScenarioName(
                  analysis.scenarios.get(),
                  `Goal: ${shown?.label ?? state.value.parameter} ${direction === 'atLeast' ? '≥' : '≤'} ${state.value.target}`,
                )
                // On top of the active scenario the seek ran on, so the answer reproduces it.
                const overrides = {
                  ...(active?.overrides ?? {}),
                  ...state.value.scenario.overrides,
                }
                createScenario(session.connection.doc, name, overrides, session.binding.origin)
                setSaved(name)
              } catch (error) {
                setProblem(error instanceof Error ? error.message : String(error))
              }
            }}
          >
            Save as scenario
          </button>
          {saved && (
            <span data-testid="goalseek-saved" style={{ marginLeft: 6, fontSize: 11 }}>
              saved as “{saved}”
            </span>
          )}
        </div>
      )}
    </div>
  )
}
