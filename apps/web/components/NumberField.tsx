import { useEffect, useState } from 'react'

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
 * it shows the sim's message and nothing is written to the shared document.
 */
export function NumberField({ name, label, value, disabled, check, commit }: NumberFieldProps) {
  const [text, setText] = useState(String(value))
  const [problem, setProblem] = useState<string | null>(null)
  const [focused, setFocused] = useState(false)
  useEffect(() => {
    if (!focused) {
      setText(String(value))
      setProblem(null)
    }
  }, [value, focused])
  const tryCommit = (raw: string) => {
    const trimmed = raw.trim()
    const parsed = trimmed === '' ? Number.NaN : Number(trimmed)
    if (!Number.isFinite(parsed)) {
      setProblem(`${label} must be a number`)
      return
    }
    const message = check(parsed)
    setProblem(message)
    if (message === null && parsed !== value) commit(parsed)
  }
  return (
    <label style={{ display: 'block', marginBottom: 6 }}>
      <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>{label}</span>
      <input
        data-testid={`field-${name}`}
        name={name}
        value={text}
        disabled={disabled}
        inputMode="decimal"
        aria-invalid={problem !== null}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false)
          tryCommit(text)
        }}
        onChange={(event) => {
          setText(event.target.value)
          const parsed = Number(event.target.value)
          setProblem(
            Number.isFinite(parsed) && event.target.value.trim() !== ''
              ? check(parsed)
              : `${label} must be a number`,
          )
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') tryCommit(text)
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
