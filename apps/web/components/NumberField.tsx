import { useState } from 'react'
import { useDraft } from './useDraft'

/** Props of {@link NumberField}. */
export interface NumberFieldProps {
  name: string
  label: string
  value: number
  disabled: boolean
  /** The sim's message for a proposed value, or null if it is valid. */
  check: (value: number) => string | null
  commit: (value: number) => void
}

/**
 * A numeric input that only commits values the sim accepts: while the typed value is invalid
 * it shows the sim's message and nothing is written to the shared document. Until the person
 * types it follows the shared value (see {@link useDraft}).
 */
export function NumberField({ name, label, value, disabled, check, commit }: NumberFieldProps) {
  const draft = useDraft(String(value))
  const [problem, setProblem] = useState<string | null>(null)
  /** Writes the typed value if the sim accepts it; returns whether the field may settle. */
  const commitTyped = (): boolean => {
    if (!draft.edited) return true
    const trimmed = draft.text.trim()
    const parsed = trimmed === '' ? Number.NaN : Number(trimmed)
    if (!Number.isFinite(parsed)) {
      setProblem(`${label} must be a number`)
      return false
    }
    const message = check(parsed)
    setProblem(message)
    if (message !== null) return false
    if (parsed !== value) commit(parsed)
    return true
  }
  return (
    <label style={{ display: 'block', marginBottom: 6 }}>
      <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>{label}</span>
      <input
        data-testid={`field-${name}`}
        name={name}
        value={draft.text}
        disabled={disabled}
        inputMode="decimal"
        aria-invalid={problem !== null}
        onBlur={() => {
          // Leaving the field drops a value the sim refused, and its message with it.
          commitTyped()
          draft.settle()
          setProblem(null)
        }}
        onChange={(event) => {
          draft.edit(event.target.value)
          const parsed = Number(event.target.value)
          setProblem(
            Number.isFinite(parsed) && event.target.value.trim() !== ''
              ? check(parsed)
              : `${label} must be a number`,
          )
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && commitTyped()) draft.settle()
          event.stopPropagation()
        }}
        style={{
          width: '100%',
          boxSizing: 'border-box',
          padding: '3px 6px',
          border: `1px solid ${problem ? '#e03131' : '#ced4da'}`,
          borderRadius: 4,
        }}
      />
      {problem && (
        <span
          data-testid={`problem-${name}`}
          role="alert"
          style={{ fontSize: 11, color: '#e03131' }}
        >
          {problem}
        </span>
      )}
    </label>
  )
}
