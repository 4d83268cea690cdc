import { useEffect, useState } from 'react'

/** Props of {@link TextField}. */
export interface TextFieldProps {
  name: string
  label: string
  value: string
  disabled: boolean
  commit: (value: string) => void
}

/** A text input that writes on blur or Enter. */
export function TextField({ name, label, value, disabled, commit }: TextFieldProps) {
  const [text, setText] = useState(value)
  const [focused, setFocused] = useState(false)
  useEffect(() => {
    if (!focused) setText(value)
  }, [value, focused])
  return (
    <label style={{ display: 'block', marginBottom: 6 }}>
      <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>{label}</span>
      <input
        data-testid={`field-${name}`}
        name={name}
        value={text}
        disabled={disabled}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false)
          if (text !== value) commit(text)
        }}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && text !== value) commit(text)
          event.stopPropagation()
        }}
        style={{
          width: '100%',
          boxSizing: 'border-box',
          padding: '3px 6px',
          border: '1px solid #ced4da',
          borderRadius: 4,
        }}
      />
    </label>
  )
}
