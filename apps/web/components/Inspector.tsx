import { boardIssues, validateShapeChange } from '@chainmap/board'
import { useEditor, useValue } from 'tldraw'
import {
  CHAIN_LINK,
  type ChainShape,
  COMPANY,
  COMPANY_COLORS,
  MARKET,
  PRODUCT,
} from '@/lib/shapes/chainShapeTypes'
import { SaveAsOverride } from './analysis/SaveAsOverride'
import { useBoardSession } from './BoardSessionContext'
import { NumberField } from './NumberField'
import { panelStyle } from './panelStyle'
import { TextField } from './TextField'

const TITLES: Record<ChainShape['type'], string> = {
  [COMPANY]: 'Company',
  [MARKET]: 'Market',
  [PRODUCT]: 'Product',
  [CHAIN_LINK]: 'Chain link',
}

const NUMBER_FIELDS: Record<ChainShape['type'], Array<[field: string, label: string]>> = {
  [COMPANY]: [],
  [MARKET]: [
    ['reach', 'Reach (people)'],
    ['p', 'p — innovation per day'],
    ['q', 'q — imitation per day'],
  ],
  [PRODUCT]: [
    ['appeal', 'Appeal'],
    ['launchDay', 'Launch day'],
    ['initialUsers', 'Initial users'],
    ['churn', 'Churn per day'],
  ],
  [CHAIN_LINK]: [
    ['funnel', 'Funnel per day'],
    ['lockIn', 'Lock-in (0–1)'],
  ],
}

/**
 * Edits the selected chain-map shape's parameters. Each value is checked with the sim's own
 * rules first; an invalid value shows the sim's message and never reaches the shared document.
 */
export function Inspector() {
  const editor = useEditor()
  const session = useBoardSession()
  const shape = useValue('inspected shape', () => {
    const only = editor.getOnlySelectedShape()
    return only && only.type in TITLES ? (only as ChainShape) : null
  }, [editor])
  const readOnly = useValue('read-only', () => editor.getIsReadonly(), [editor])
  const companies = useValue(
    'companies',
    () =>
      editor
        .getCurrentPageShapes()
        .filter((s) => s.type === COMPANY)
        .map((s) => ({ id: s.id, name: (s as ChainShape & { type: typeof COMPANY }).props.name })),
    [editor],
  )
  const issues = useValue('inspected shape issues', () => {
    if (!shape) return []
    const source = { records: editor.getCurrentPageShapes(), settings: session.settings.get() }
    return boardIssues(source).filter((issue) => issue.shapeId === shape.id)
  }, [editor, session, shape?.id])
  if (!shape) return null
  const props = shape.props as unknown as Record<string, unknown>
  const update = (patch: Record<string, unknown>) => {
    editor.updateShape({ id: shape.id, type: shape.type, props: patch })
  }
  const check = (field: string) => (value: number) => {
    const source = { records: editor.getCurrentPageShapes(), settings: session.settings.get() }
    const verdict = validateShapeChange(source, shape.id, field, value)
    return verdict.ok ? null : verdict.message
  }
  return (
    <div data-testid="inspector" style={{ ...panelStyle, top: 56, right: 8, width: 220 }}>
      <strong style={{ display: 'block', marginBottom: 6 }}>{TITLES[shape.type]}</strong>
      {issues.map((issue) => (
        <p
          key={issue.message}
          data-testid="inspector-issue"
          style={{ fontSize: 11, color: '#e8590c' }}
        >
          Not simulated yet: {issue.message}
        </p>
      ))}
      {'name' in props && (
        <TextField
          name="name"
          label="Name"
          value={String(props.name)}
          disabled={readOnly}
          commit={(name) => update({ name })}
        />
      )}
      {shape.type === COMPANY && (
        <fieldset style={{ border: 0, padding: 0, margin: '0 0 6px' }}>
          <legend style={{ fontSize: 11, color: '#495057' }}>Colour</legend>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
            {COMPANY_COLORS.map((color) => (
              <button
                key={color}
                type="button"
                aria-label={`colour ${color}`}
                disabled={readOnly}
                onClick={() => update({ color })}
                style={{
                  width: 20,
                  height: 20,
                  borderRadius: 10,
                  background: color,
                  border: props.color === color ? '2px solid black' : '1px solid white',
                }}
              />
            ))}
          </div>
        </fieldset>
      )}
      {shape.type === PRODUCT && (
        <label style={{ display: 'block', marginBottom: 6 }}>
          <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>Company</span>
          <select
            data-testid="field-company"
            value={String(props.company)}
            disabled={readOnly}
            onChange={(event) => update({ company: event.target.value })}
            style={{ width: '100%' }}
          >
            <option value="">— choose —</option>
            {companies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {props.market === '' && (
            <span style={{ fontSize: 11, color: '#495057' }}>
              Drop it into a market lane to give it a market.
            </span>
          )}
        </label>
      )}
      {NUMBER_FIELDS[shape.type].map(([field, label]) => (
        <NumberField
          key={`${shape.id}-${field}`}
          name={field}
          label={label}
          value={Number(props[field])}
          disabled={readOnly}
          check={check(field)}
          commit={(value) => update({ [field]: value })}
        />
      ))}
      <SaveAsOverride key={shape.id} shape={shape} />
    </div>
  )
}
