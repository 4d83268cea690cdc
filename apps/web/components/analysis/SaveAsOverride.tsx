import { overridePathOfShape, setScenarioOverride, validateScenarioOverride } from '@chainmap/board'
import { useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { analysisStateFor } from '@/lib/analysis/AnalysisState'
import type { ChainShape } from '@/lib/shapes/chainShapeTypes'
import { useBoardSession } from '../BoardSessionContext'

/**
 * In the inspector: try a value of the selected shape as an override in a shared scenario
 * instead of changing the board ("save this change as an override in scenario X").
 */
export function SaveAsOverride({ shape }: { shape: ChainShape }) {
  const editor = useEditor()
  const session = useBoardSession()
  const analysis = analysisStateFor(editor)
  const scenarios = useValue(analysis.scenarios)
  const readOnly = useValue('read-only', () => editor.getIsReadonly(), [editor])
  const props = shape.props as unknown as Record<string, unknown>
  const fields = Object.keys(props).filter(
    (prop) => overridePathOfShape({ id: shape.id, type: shape.type, props }, prop) !== null,
  )
  const [field, setField] = useState(fields[0] ?? '')
  const [value, setValue] = useState('')
  const [scenarioId, setScenarioId] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  if (fields.length === 0 || scenarios.length === 0 || readOnly) return null
  const chosenField = fields.includes(field) ? field : fields[0]!
  const target = scenarios.find((s) => s.id === scenarioId) ?? scenarios[0]!
  const save = () => {
    const path = overridePathOfShape({ id: shape.id, type: shape.type, props }, chosenField)
    const number = value.trim() === '' ? Number(props[chosenField]) : Number(value)
    if (!path || !Number.isFinite(number)) {
      setMessage({ ok: false, text: 'the value must be a number' })
      return
    }
    const doc = session.connection.doc
    const verdict = validateScenarioOverride(doc, path, number)
    if (!verdict.ok) {
      setMessage({ ok: false, text: verdict.message })
      return
    }
    setScenarioOverride(doc, target.id, path, number, session.binding.origin)
    setMessage({ ok: true, text: `${chosenField} = ${number} saved in “${target.name}”` })
    setValue('')
  }
  return (
    <details data-testid="save-as-override" style={{ marginTop: 6, fontSize: 11 }}>
      <summary style={{ cursor: 'pointer', color: '#1971c2' }}>
        Try a value in a scenario instead
      </summary>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 4 }}>
        <select
          data-testid="save-override-field"
          aria-label="Parameter"
          value={chosenField}
          onChange={(event) => setField(event.target.value)}
        >
          {fields.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <input
          data-testid="save-override-value"
          aria-label="Value in the scenario"
          placeholder={String(props[chosenField])}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={(event) => event.stopPropagation()}
          style={{ width: 70 }}
        />
        <select
          data-testid="save-override-scenario"
          aria-label="Scenario"
          value={target.id}
          onChange={(event) => setScenarioId(event.target.value)}
        >
          {scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="button" data-testid="save-override" onClick={save}>
          Save as override
        </button>
      </div>
      {message && (
        <p
          data-testid="save-override-message"
          role={message.ok ? 'status' : 'alert'}
          style={{ color: message.ok ? '#2b8a3e' : '#e03131', margin: '4px 0 0' }}
        >
          {message.text}
        </p>
      )}
    </details>
  )
}
