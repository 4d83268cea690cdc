import { BOARD_SETTING_KEYS, type BoardSettings, validateSettingsChange } from '@chainmap/board'
import { useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { useBoardSession } from './BoardSessionContext'
import { NumberField } from './NumberField'
import { panelStyle } from './panelStyle'

const LABELS: Record<keyof BoardSettings, string> = {
  population: 'Population',
  horizonDays: 'Horizon (days)',
  stepDays: 'Step (days)',
  seed: 'Seed',
  networkEffect: 'Network effect',
  ecosystemPull: 'Ecosystem pull',
}

/** The board's global simulation settings, checked by the sim before they are shared. */
export function SettingsPanel() {
  const editor = useEditor()
  const session = useBoardSession()
  const settings = useValue(session.settings)
  const readOnly = useValue('read-only', () => editor.getIsReadonly(), [editor])
  const [open, setOpen] = useState(false)
  return (
    <div
      data-testid="settings"
      style={{ ...panelStyle, position: 'relative', width: open ? 200 : 'auto' }}
    >
      <button type="button" data-testid="settings-toggle" onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} Settings
      </button>
      {open &&
        BOARD_SETTING_KEYS.map((key) => (
          <NumberField
            key={key}
            name={`setting-${key}`}
            label={LABELS[key]}
            value={settings[key]}
            disabled={readOnly}
            check={(value) => {
              const source = {
                records: editor.getCurrentPageShapes(),
                settings: session.settings.get(),
              }
              const verdict = validateSettingsChange(source, { [key]: value })
              return verdict.ok ? null : verdict.message
            }}
            commit={(value) => session.updateSettings({ [key]: value })}
          />
        ))}
    </div>
  )
}
