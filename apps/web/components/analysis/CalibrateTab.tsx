import { createScenario } from '@chainmap/board'
import {
  type FitParameter,
  type Model,
  type Observation,
  parseObservationsCsv,
} from '@chainmap/sim'
import { useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { analysisStateFor } from '@/lib/analysis/AnalysisState'
import { uniqueScenarioName } from '@/lib/analysis/uniqueScenarioName'
import { useBoardSession } from '../BoardSessionContext'
import { FitChart } from './FitChart'

/**
 * Calibration: observed users of a product over time (pasted or uploaded CSV) → its market's p
 * and q (optionally the product's appeal and churn) by least squares in a worker; RMSE, R² and
 * the fit over the data; applied as a scenario.
 */
export function CalibrateTab({ model }: { model: Model }) {
  const editor = useEditor()
  const session = useBoardSession()
  const analysis = analysisStateFor(editor)
  const state = useValue(analysis.fit)
  const readOnly = useValue('read-only', () => editor.getIsReadonly(), [editor])
  const [product, setProduct] = useState(() => model.products[0]?.id ?? '')
  const [csv, setCsv] = useState('')
  const [extra, setExtra] = useState<{ appeal: boolean; churn: boolean }>({
    appeal: false,
    churn: false,
  })
  const [observed, setObserved] = useState<Observation[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const [applied, setApplied] = useState<string | null>(null)
  const chosen = model.products.find((p) => p.id === product) ?? model.products[0]
  const run = () => {
    if (!chosen) return
    let points: Observation[]
    try {
      points = parseObservationsCsv(csv)
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
      return
    }
    const fit: FitParameter[] = ['p', 'q']
    if (extra.appeal) fit.push('appeal')
    if (extra.churn) fit.push('churn')
    setProblem(null)
    setApplied(null)
    setObserved(points)
    analysis.start({ kind: 'fit', model, product: chosen.id, observed: points, fit })
  }
  return (
    <div data-testid="calibrate-tab">
      <label style={{ display: 'block', marginBottom: 6 }}>
        <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>Observed product</span>
        <select
          data-testid="fit-product"
          value={chosen?.id ?? ''}
          onChange={(event) => setProduct(event.target.value)}
          style={{ width: '100%' }}
        >
          {model.products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name || p.id}
            </option>
          ))}
        </select>
      </label>
      <label style={{ display: 'block', marginBottom: 6 }}>
        <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>
          Observed users: lines of “day,users” (a header is optional), pasted or from a file
        </span>
        <textarea
          data-testid="fit-csv"
          value={csv}
          rows={5}
          placeholder={'day,users\n0,2000000\n30,9000000'}
          onChange={(event) => setCsv(event.target.value)}
          style={{ width: '100%', boxSizing: 'border-box', fontFamily: 'monospace', fontSize: 11 }}
        />
      </label>
      <input
        type="file"
        accept=".csv,.txt,text/csv,text/plain"
        data-testid="fit-file"
        aria-label="Upload a CSV"
        onChange={async (event) => {
          const file = event.target.files?.[0]
          if (file) setCsv(await file.text())
        }}
        style={{ fontSize: 11, marginBottom: 6 }}
      />
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', fontSize: 12 }}>
        <span>Fit p, q</span>
        <label>
          <input
            type="checkbox"
            data-testid="fit-appeal"
            checked={extra.appeal}
            onChange={(event) => setExtra({ ...extra, appeal: event.target.checked })}
          />{' '}
          + appeal
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="fit-churn"
            checked={extra.churn}
            onChange={(event) => setExtra({ ...extra, churn: event.target.checked })}
          />{' '}
          + churn
        </label>
        {state.status === 'running' ? (
          <button type="button" data-testid="fit-cancel" onClick={() => analysis.cancel('fit')}>
            Fitting {Math.round(state.progress * 100)}% — stop
          </button>
        ) : (
          <button type="button" data-testid="fit-run" onClick={run} disabled={!chosen}>
            Fit
          </button>
        )}
      </div>
      {problem && (
        <p role="alert" data-testid="fit-problem" style={{ color: '#e03131', fontSize: 11 }}>
          {problem}
        </p>
      )}
      {state.status === 'error' && (
        <p role="alert" data-testid="fit-error" style={{ color: '#e03131', fontSize: 11 }}>
          {state.message}
        </p>
      )}
      {state.status === 'done' && (
        <div data-testid="fit-result" style={{ fontSize: 12, marginTop: 6 }}>
          <p style={{ margin: '4px 0' }}>
            {Object.entries(state.value.values).map(([name, value]) => (
              <span
                key={name}
                data-testid={`fit-value-${name}`}
                data-value={value}
                style={{ marginRight: 8 }}
              >
                {name} = <strong>{value?.toPrecision(3)}</strong>
              </span>
            ))}
          </p>
          <p style={{ margin: '4px 0' }}>
            RMSE{' '}
            <strong data-testid="fit-rmse" data-value={state.value.rmse}>
              {Math.round(state.value.rmse).toLocaleString('en')}
            </strong>{' '}
            users · R²{' '}
            <strong data-testid="fit-r2" data-value={state.value.rSquared}>
              {state.value.rSquared.toFixed(4)}
            </strong>
          </p>
          <FitChart observed={observed} fit={state.value} />
          <div>
            <button
              type="button"
              data-testid="fit-apply"
              disabled={readOnly}
              onClick={() => {
                try {
                  const name = uniqueScenarioName(
                    analysis.scenarios.get(),
                    `Fit of ${chosen?.name || state.value.product}`,
                  )
                  const id = createScenario(
                    session.connection.doc,
                    name,
                    state.value.scenario.overrides,
                    session.binding.origin,
                  )
                  analysis.setActive(id)
                  setApplied(name)
                } catch (error) {
                  setProblem(error instanceof Error ? error.message : String(error))
                }
              }}
            >
              Apply as scenario (and simulate it live)
            </button>
            {applied && (
              <span data-testid="fit-applied" style={{ marginLeft: 6, fontSize: 11 }}>
                applied as “{applied}”
              </span>
            )}
          </div>
        </div>
      )}
    </div>
  )
}
