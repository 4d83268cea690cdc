import type * as Y from 'yjs'
import { getSettingsMap } from './doc/boardDoc.js'

/** The board's global simulation settings (the model's top-level numbers). */
export interface BoardSettings {
  /** People in the simulated world (integer ≥ 1). */
  population: number
  /** Simulated days. */
  horizonDays: number
  /** Days per simulation step. */
  stepDays: number
  /** Seed of the agents engine (integer in [0, 2^32 − 1]). */
  seed: number
  /** Weight of a product's market share in the choice among products. */
  networkEffect: number
  /** Weight of how many of a company's products a person already holds. */
  ecosystemPull: number
}

/** Names of the settings, in model order. */
export const BOARD_SETTING_KEYS: readonly (keyof BoardSettings)[] = [
  'population',
  'horizonDays',
  'stepDays',
  'seed',
  'networkEffect',
  'ecosystemPull',
]

/** Settings of a new board; a setting missing from the doc reads as its default. */
export const DEFAULT_BOARD_SETTINGS: Readonly<BoardSettings> = Object.freeze({
  population: 1_000_000,
  horizonDays: 365,
  stepDays: 1,
  seed: 1,
  networkEffect: 0,
  ecosystemPull: 0,
})

/**
 * The settings stored in the doc's `settings` map, each key falling back to its default when
 * absent or not a number.
 */
export function readSettings(doc: Y.Doc): BoardSettings {
  const map = getSettingsMap(doc)
  const settings = { ...DEFAULT_BOARD_SETTINGS }
  for (const key of BOARD_SETTING_KEYS) {
    const value = map.get(key)
    if (typeof value === 'number') settings[key] = value
  }
  return settings
}

/**
 * Write the given settings, each as its own key (so two people changing different settings both
 * win), skipping values already stored. Does not validate: use `updateSettings` (or validate with
 * `validateSettingsChange` first) for edits coming from a person.
 */
export function writeSettings(doc: Y.Doc, patch: Partial<BoardSettings>, origin?: unknown): void {
  const map = getSettingsMap(doc)
  doc.transact(() => {
    for (const key of BOARD_SETTING_KEYS) {
      const value = patch[key]
      if (value !== undefined && map.get(key) !== value) map.set(key, value)
    }
  }, origin ?? null)
}

/** Call `listener` with the new settings whenever they change; returns the unsubscribe function. */
export function observeSettings(
  doc: Y.Doc,
  listener: (settings: BoardSettings) => void,
): () => void {
  const map = getSettingsMap(doc)
  const handler = () => listener(readSettings(doc))
  map.observe(handler)
  return () => map.unobserve(handler)
}
