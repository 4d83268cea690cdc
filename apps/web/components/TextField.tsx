import { useDraft } from './useDraft'

/** Props of {@link TextField}. */
export interface TextFieldProps {
  name: string
  label: string
  value: string
  disabled: boolean
  commit: (value: string) => void
}

/** A text input that writes what was typed on blur or Enter (see {@link useDraft}). */
export function TextField({ name, label, value, disabled, commit }: TextFieldProps) {
  const draft = useDraft(value)
  const commitTyped = () => {
    if (draft.edited && draft.text !== value) commit(draft.text)
    draft.settle()
  }
  return (
    <label style={{ display: 'block', marginBottom: 6 }}>
      <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>{label}</span>
      <input
        data-testid={`field-${name}`}
        name={name}
        value={draft.text}
        disabled={disabled}
        onBlur={commitTyped}
        onChange={(event) => draft.edit(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commitTyped()
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
