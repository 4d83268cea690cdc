import { formatOutcome, type Model } from '@chainmap/sim'
import { useMemo, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { analysisStateFor } from '@/lib/analysis/AnalysisState'
import { formatOutcomeValue } from '@/lib/analysis/formatOutcomeValue'
import { outcomeChoices, parameterChoices } from '@/lib/analysis/outcomeChoices'
import { defaultOutcome, OutcomePicker } from './OutcomePicker'
import { TornadoChart } from './TornadoChart'

/**
 * Sensitivity: every numeric parameter moved ±20 % one at a time, in a worker (progress,
 * cancel), shown as a tornado chart of the ten strongest drivers of the chosen outcome.
 */
export function SensitivityTab({ model }: { model: Model }) {
  const editor = useEditor()
  const analysis = analysisStateFor(editor)
  const state = useValue(analysis.sensitivity)
  const [outcome, setOutcome] = useState(() => defaultOutcome(model)?.value ?? '')
  const choices = useMemo(() => outcomeChoices(model), [model])
  const labels = useMemo(
    () => new Map(parameterChoices(model).map((c) => [c.value, c.label])),
    [model],
  )
  const chosen = choices.find((c) => c.value === outcome) ?? choices[0]
  const shown =
    state.status === 'done'
      ? choices.find((c) => c.value === formatOutcome(state.value.outcome))
      : undefined
  return (
    <div data-testid="sensitivity-tab">
      <OutcomePicker
        model={model}
        value={chosen?.value ?? ''}
        onChange={(choice) => setOutcome(choice.value)}
        testId="sensitivity-outcome"
      />
      {state.status === 'running' ? (
        <div style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          <progress
            data-testid="sensitivity-progress"
            value={state.progress}
            max={1}
            style={{ flex: 1 }}
          />
          <span>{Math.round(state.progress * 100)}%</span>
          <button
            type="button"
            data-testid="sensitivity-cancel"
            onClick={() => analysis.cancel('sensitivity')}
          >
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          data-testid="sensitivity-run"
          disabled={!chosen}
          onClick={() => {
            if (!chosen) return
            analysis.start({ kind: 'sensitivity', model, outcome: chosen.outcome })
          }}
        >
          Run sensitivity (±20 %)
        </button>
      )}
      {state.status === 'error' && (
        <p role="alert" style={{ color: '#e03131', fontSize: 11 }}>
          {state.message}
        </p>
      )}
      {state.status === 'done' && shown && (
        <div style={{ marginTop: 6 }}>
          <div style={{ fontSize: 11, color: '#495057' }}>
            {shown.label}: strongest drivers.{' '}
            <span data-testid="sensitivity-timing" data-ms={state.ms.toFixed(0)}>
              {state.value.runs} simulations in {state.ms.toFixed(0)} ms
            </span>
            {state.value.skipped.length > 0 && ` · ${state.value.skipped.length} at 0 not moved`}
          </div>
          <TornadoChart
            result={state.value}
            format={(value) => formatOutcomeValue(shown.format, value)}
            labelOf={(parameter) => labels.get(parameter) ?? parameter}
          />
        </div>
      )}
    </div>
  )
}
