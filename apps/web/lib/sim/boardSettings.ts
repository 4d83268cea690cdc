/** The board's global simulation settings (the model's top-level numbers). */
export interface BoardSettings {
  population: number
  horizonDays: number
  stepDays: number
  seed: number
  networkEffect: number
  ecosystemPull: number
}

/** Settings of a new board. */
export const DEFAULT_SETTINGS: BoardSettings = {
  population: 10_000_000,
  horizonDays: 365,
  stepDays: 1,
  seed: 1,
  networkEffect: 1,
  ecosystemPull: 1,
}

/** The setting keys, in the order the panel shows them. */
export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as Array<keyof BoardSettings>

/** Settings from a stored map: known numeric keys over the defaults, anything else ignored. */
export function settingsFrom(stored: Record<string, unknown>): BoardSettings {
  const settings = { ...DEFAULT_SETTINGS }
  for (const key of SETTING_KEYS) {
    const value = stored[key]
    if (typeof value === 'number' && Number.isFinite(value)) settings[key] = value
  }
  return settings
}
