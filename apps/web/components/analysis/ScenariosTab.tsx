import {
  createScenario,
  deleteScenario,
  overridePathOfShape,
  removeScenarioOverride,
  renameScenario,
  setScenarioOverride,
  validateScenarioOverride,
} from '@chainmap/board'
import { MAX_COMPARED_SCENARIOS, type Model, type Scenario } from '@chainmap/sim'
import { useMemo, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { analysisStateFor } from '@/lib/analysis/AnalysisState'
import { parameterChoices } from '@/lib/analysis/outcomeChoices'
import { useBoardSession } from '../BoardSessionContext'
import { ComparisonView } from './ComparisonView'

/** Name of the comparison's entry for the board without overrides. */
export const BOARD_AS_DRAWN = 'Board as drawn'
/** Key of {@link BOARD_AS_DRAWN} among compared ids. */
const DRAWN_KEY = ''

/**
 * The board's shared scenarios: create, rename, delete, edit overrides, pick the one your live
 * output simulates (yours only), and compare up to four side by side.
 */
export function ScenariosTab({ model }: { model: Model }) {
  const editor = useEditor()
  const session = useBoardSession()
  const analysis = analysisStateFor(editor)
  const doc = session.connection.doc
  const origin = session.binding.origin
  const scenarios = useValue(analysis.scenarios)
  const activeId = useValue(analysis.activeScenarioId)
  const comparison = useValue(analysis.comparison)
  const readOnly = useValue('read-only', () => editor.getIsReadonly(), [editor])
  const [newName, setNewName] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [editingId, setEditingId] = useState<string | null>(null)
  const compared = useValue(analysis.comparedIds)
  const setCompared = (update: (list: string[]) => string[]) =>
    analysis.comparedIds.set(update(analysis.comparedIds.get()))
  const attempt = (action: () => void) => {
    try {
      action()
      setProblem(null)
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
    }
  }
  const toggleCompared = (key: string) =>
    setCompared((list) => (list.includes(key) ? list.filter((k) => k !== key) : [...list, key]))
  const comparedScenarios: Scenario[] = compared.flatMap((key): Scenario[] => {
    if (key === DRAWN_KEY) return [{ name: BOARD_AS_DRAWN, overrides: {} }]
    const scenario = scenarios.find((s) => s.id === key)
    return scenario ? [{ name: scenario.name, overrides: scenario.overrides }] : []
  })
  const rows = [{ id: DRAWN_KEY, name: BOARD_AS_DRAWN, overrides: {} }, ...scenarios]
  return (
    <div data-testid="scenarios-tab">
      <div style={{ display: 'flex', gap: 4, marginBottom: 6 }}>
        <input
          data-testid="scenario-new-name"
          placeholder="New scenario name"
          value={newName}
          disabled={readOnly}
          onChange={(event) => setNewName(event.target.value)}
          style={{ flex: 1 }}
        />
        <button
          type="button"
          data-testid="scenario-create"
          disabled={readOnly}
          onClick={() =>
            attempt(() => {
              const id = createScenario(doc, newName, {}, origin)
              setNewName('')
              setEditingId(id)
            })
          }
        >
          Create
        </button>
      </div>
      {problem && (
        <p role="alert" data-testid="scenario-problem" style={{ color: '#e03131', fontSize: 11 }}>
          {problem}
        </p>
      )}
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 12 }}>
        <thead>
          <tr style={{ color: '#495057', fontSize: 11, textAlign: 'left' }}>
            <th title="What your live output simulates (only you see your choice)">live</th>
            <th title={`Compare up to ${MAX_COMPARED_SCENARIOS}`}>compare</th>
            <th>scenario</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id || 'drawn'} data-testid="scenario-row" data-name={row.name}>
              <td>
                <input
                  type="radio"
                  name="active-scenario"
                  aria-label={`simulate ${row.name} live`}
                  data-testid="scenario-active"
                  checked={row.id === DRAWN_KEY ? activeId === null : activeId === row.id}
                  onChange={() => analysis.setActive(row.id === DRAWN_KEY ? null : row.id)}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`compare ${row.name}`}
                  data-testid="scenario-compare"
                  checked={compared.includes(row.id)}
                  disabled={!compared.includes(row.id) && compared.length >= MAX_COMPARED_SCENARIOS}
                  onChange={() => toggleCompared(row.id)}
                />
              </td>
              <td>
                {row.name}
                {row.id !== DRAWN_KEY && (
                  <span style={{ color: '#868e96' }}>
                    {' '}
                    · {Object.keys(row.overrides).length} override
                    {Object.keys(row.overrides).length === 1 ? '' : 's'}
                  </span>
                )}
              </td>
              <td style={{ textAlign: 'right' }}>
                {row.id !== DRAWN_KEY && (
                  <button
                    type="button"
                    data-testid="scenario-edit"
                    onClick={() => setEditingId(editingId === row.id ? null : row.id)}
                  >
                    {editingId === row.id ? 'Close' : 'Edit'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editingId && scenarios.some((s) => s.id === editingId) && (
        <ScenarioEditor
          key={editingId}
          id={editingId}
          model={model}
          readOnly={readOnly}
          attempt={attempt}
          onDeleted={() => {
            setEditingId(null)
            setCompared((list) => list.filter((k) => k !== editingId))
          }}
        />
      )}
      <div style={{ display: 'flex', gap: 4, margin: '8px 0' }}>
        {comparison.status === 'running' ? (
          <button
            type="button"
            data-testid="compare-cancel"
            onClick={() => analysis.cancel('compare')}
          >
            Comparing {Math.round(comparison.progress * 100)}% — stop
          </button>
        ) : (
          <button
            type="button"
            data-testid="compare-run"
            disabled={comparedScenarios.length === 0}
            onClick={() =>
              analysis.start({
                kind: 'compare',
                model,
                scenarios: comparedScenarios,
              })
            }
          >
            Compare {comparedScenarios.length || ''} side by side
          </button>
        )}
        {comparison.status === 'done' && (
          <button
            type="button"
            data-testid="compare-clear"
            onClick={() => analysis.clear('compare')}
          >
            Clear comparison
          </button>
        )}
      </div>
      {comparison.status === 'error' && (
        <p role="alert" style={{ color: '#e03131', fontSize: 11 }}>
          {comparison.message}
        </p>
      )}
      {comparison.status === 'done' && <ComparisonView comparison={comparison.value} />}
    </div>
  )
}

interface ScenarioEditorProps {
  id: string
  model: Model
  readOnly: boolean
  attempt: (action: () => void) => void
  onDeleted: () => void
}

/** Rename, delete and edit the overrides of one scenario. */
function ScenarioEditor({ id, model, readOnly, attempt, onDeleted }: ScenarioEditorProps) {
  const editor = useEditor()
  const session = useBoardSession()
  const analysis = analysisStateFor(editor)
  const doc = session.connection.doc
  const origin = session.binding.origin
  const scenario = useValue(
    'edited scenario',
    () => analysis.scenarios.get().find((s) => s.id === id),
    [analysis, id],
  )
  // Parameters of the selected shape come first: "save this change as an override".
  const selectedPaths = useValue('selected shape parameters', () => {
    const shape = editor.getOnlySelectedShape()
    if (!shape) return []
    const props = shape.props as Record<string, unknown>
    return Object.keys(props)
      .map((prop) => overridePathOfShape({ id: shape.id, type: shape.type, props }, prop))
      .filter((path): path is string => path !== null)
  }, [editor])
  const choices = useMemo(() => {
    const all = parameterChoices(model)
    const selected = all.filter((c) => selectedPaths.includes(c.value))
    const rest = all.filter((c) => !selectedPaths.includes(c.value))
    return [...selected.map((c) => ({ ...c, label: `${c.label} (selected)` })), ...rest]
  }, [model, selectedPaths])
  const [name, setName] = useState(scenario?.name ?? '')
  const [path, setPath] = useState<string>('')
  const [value, setValue] = useState('')
  const [overrideProblem, setOverrideProblem] = useState<string | null>(null)
  if (!scenario) return null
  const chosenPath = path || choices[0]?.value || ''
  const add = () => {
    const number = Number(value.trim())
    if (value.trim() === '' || !Number.isFinite(number)) {
      setOverrideProblem('the value must be a number')
      return
    }
    const verdict = validateScenarioOverride(doc, chosenPath, number)
    if (!verdict.ok) {
      setOverrideProblem(verdict.message)
      return
    }
    setOverrideProblem(null)
    attempt(() => setScenarioOverride(doc, id, chosenPath, number, origin))
    setValue('')
  }
  return (
    <div
      data-testid="scenario-editor"
      style={{ border: '1px solid #dee2e6', borderRadius: 6, padding: 6, marginTop: 6 }}
    >
      <div style={{ display: 'flex', gap: 4, marginBottom: 6 }}>
        <input
          data-testid="scenario-rename-input"
          aria-label="Scenario name"
          value={name}
          disabled={readOnly}
          onChange={(event) => setName(event.target.value)}
          style={{ flex: 1 }}
        />
        <button
          type="button"
          data-testid="scenario-rename"
          disabled={readOnly || name === scenario.name}
          onClick={() => attempt(() => renameScenario(doc, id, name, origin))}
        >
          Rename
        </button>
        <button
          type="button"
          data-testid="scenario-delete"
          disabled={readOnly}
          onClick={() =>
            attempt(() => {
              if (analysis.activeScenarioId.get() === id) analysis.setActive(null)
              deleteScenario(doc, id, origin)
              onDeleted()
            })
          }
        >
          Delete
        </button>
      </div>
      <ul data-testid="scenario-overrides" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {Object.entries(scenario.overrides).map(([overridePath, overrideValue]) => (
          <li
            key={overridePath}
            data-testid="scenario-override"
            data-path={overridePath}
            style={{ display: 'flex', gap: 4, alignItems: 'center', fontSize: 11 }}
          >
            <code style={{ flex: 1, overflowWrap: 'anywhere' }}>{overridePath}</code>
            <strong>{overrideValue}</strong>
            <button
              type="button"
              aria-label={`remove ${overridePath}`}
              disabled={readOnly}
              onClick={() => attempt(() => removeScenarioOverride(doc, id, overridePath, origin))}
            >
              ×
            </button>
          </li>
        ))}
        {Object.keys(scenario.overrides).length === 0 && (
          <li style={{ fontSize: 11, color: '#868e96' }}>No overrides: the board as drawn.</li>
        )}
      </ul>
      <div style={{ display: 'flex', gap: 4, marginTop: 6 }}>
        <select
          data-testid="override-parameter"
          aria-label="Parameter"
          value={chosenPath}
          disabled={readOnly}
          onChange={(event) => setPath(event.target.value)}
          style={{ flex: 1, minWidth: 0 }}
        >
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <input
          data-testid="override-value"
          aria-label="Override value"
          value={value}
          disabled={readOnly}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') add()
          }}
          style={{ width: 70 }}
        />
        <button type="button" data-testid="override-add" disabled={readOnly} onClick={add}>
          Set
        </button>
      </div>
      {overrideProblem && (
        <p role="alert" data-testid="override-problem" style={{ color: '#e03131', fontSize: 11 }}>
          {overrideProblem}
        </p>
      )}
      <p style={{ fontSize: 11, color: '#868e96', margin: '4px 0 0' }}>
        Select a product, market or link on the canvas to put its parameters first.
      </p>
    </div>
  )
}
