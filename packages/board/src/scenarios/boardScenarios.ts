import { AnalysisError, applyScenario, ModelError } from '@chainmap/sim'
import * as Y from 'yjs'
import { BoardError } from '../BoardError.js'
import type { BoardSource } from '../model/boardContents.js'
import { modelFromBoard } from '../model/modelFromBoard.js'
import { modelIdOfShape } from '../model/modelIds.js'
import type { ChangeValidation } from '../model/validateChange.js'
import { COMPANY_SHAPE_TYPE } from '../shapes/companyShape.js'
import { LINK_SHAPE_TYPE } from '../shapes/linkShape.js'
import { MARKET_SHAPE_TYPE } from '../shapes/marketShape.js'
import { PRODUCT_SHAPE_TYPE } from '../shapes/productShape.js'

/** Name of the top-level `Y.Map` holding the board's scenarios, one nested `Y.Map` per scenario id. */
export const SCENARIOS_KEY = 'scenarios'
/** Key, inside a scenario's `Y.Map`, of its name (a string). */
export const SCENARIO_NAME_KEY = 'name'
/** Key, inside a scenario's `Y.Map`, of the nested `Y.Map` of overrides (parameter path → number). */
export const SCENARIO_OVERRIDES_KEY = 'overrides'

/**
 * A scenario stored on the board: a named set of parameter overrides in the sim's paths
 * (`products.<id>.churn`, `links.<from>-><to>.funnel`, `markets.<id>.p`, `settings.<field>`),
 * shared by everyone on the board.
 */
export interface BoardScenario {
  /** Stable id (the key in the scenarios map). */
  readonly id: string
  /** Display name. */
  readonly name: string
  /** Parameter path → value. */
  readonly overrides: Readonly<Record<string, number>>
}

/** The scenarios map of a board doc (created empty if absent). */
export function getScenariosMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(SCENARIOS_KEY)
}

function entryOf(doc: Y.Doc, id: string): Y.Map<unknown> {
  const entry = getScenariosMap(doc).get(id)
  if (!(entry instanceof Y.Map)) {
    throw new BoardError('invalid-scenario', `scenario "${id}" does not exist on this board`)
  }
  return entry
}

function overridesOf(entry: Y.Map<unknown>): Y.Map<unknown> {
  const overrides = entry.get(SCENARIO_OVERRIDES_KEY)
  if (overrides instanceof Y.Map) return overrides
  // A scenario written without its overrides map (by an older or foreign client) gets one.
  const created = new Y.Map<unknown>()
  entry.set(SCENARIO_OVERRIDES_KEY, created)
  return created
}

/**
 * The board's scenarios, ordered by name then id (the same order on every replica). Entries
 * that are not scenarios (no name) and override values that are not finite numbers are left out:
 * anyone can write to a doc, and a stray value must not break the panel.
 */
export function readScenarios(doc: Y.Doc): BoardScenario[] {
  const scenarios: BoardScenario[] = []
  for (const [id, entry] of getScenariosMap(doc).entries()) {
    if (!(entry instanceof Y.Map)) continue
    const name = entry.get(SCENARIO_NAME_KEY)
    if (typeof name !== 'string' || name.trim() === '') continue
    const overrides: Record<string, number> = {}
    const stored = entry.get(SCENARIO_OVERRIDES_KEY)
    if (stored instanceof Y.Map) {
      for (const [path, value] of stored.entries()) {
        if (typeof value === 'number' && Number.isFinite(value)) overrides[path] = value
      }
    }
    scenarios.push({ id, name, overrides })
  }
  return scenarios.sort((a, b) =>
    a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1,
  )
}

/** Calls `listener` with the scenarios whenever any of them changes; returns the unsubscribe function. */
export function observeScenarios(
  doc: Y.Doc,
  listener: (scenarios: BoardScenario[]) => void,
): () => void {
  const map = getScenariosMap(doc)
  const handler = () => listener(readScenarios(doc))
  map.observeDeep(handler)
  return () => map.unobserveDeep(handler)
}

function checkName(doc: Y.Doc, name: string, exceptId?: string): string {
  const trimmed = name.trim()
  if (trimmed === '') throw new BoardError('invalid-scenario', 'scenario name must not be empty')
  // Compared scenarios are told apart by name, so names are unique on a board.
  const taken = readScenarios(doc).some((s) => s.name === trimmed && s.id !== exceptId)
  if (taken) {
    throw new BoardError('invalid-scenario', `scenario name "${trimmed}" is already used`)
  }
  return trimmed
}

/**
 * A fresh scenario id: random, so two people creating scenarios at once never collide
 * (`getRandomValues`, unlike `randomUUID`, also works on a plain-http origin).
 */
function newScenarioId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `scenario:${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/**
 * Creates a scenario (no overrides: the board as drawn), as one transaction.
 *
 * @param doc - the board doc
 * @param name - a non-empty name not used by another scenario of the board
 * @param overrides - optional overrides to start with; each is checked with
 *   {@link validateScenarioOverride} against the board when `check` is given
 * @param origin - transaction origin (pass the binding's `origin` to make it undoable)
 * @returns the new scenario's id
 * @throws {@link BoardError} `invalid-scenario` for an empty or taken name, or a bad override
 */
export function createScenario(
  doc: Y.Doc,
  name: string,
  overrides: Readonly<Record<string, number>> = {},
  origin?: unknown,
): string {
  const trimmed = checkName(doc, name)
  for (const [path, value] of Object.entries(overrides)) {
    const verdict = validateScenarioOverride(doc, path, value)
    if (!verdict.ok) throw new BoardError('invalid-scenario', verdict.message)
  }
  const id = newScenarioId()
  doc.transact(() => {
    const entry = new Y.Map<unknown>()
    const stored = new Y.Map<unknown>()
    for (const [path, value] of Object.entries(overrides)) stored.set(path, value)
    entry.set(SCENARIO_NAME_KEY, trimmed)
    entry.set(SCENARIO_OVERRIDES_KEY, stored)
    getScenariosMap(doc).set(id, entry)
  }, origin ?? null)
  return id
}

/**
 * Renames a scenario (only its `name` key is written, so a concurrent override edit survives).
 *
 * @throws {@link BoardError} `invalid-scenario` for an unknown id, an empty or a taken name
 */
export function renameScenario(doc: Y.Doc, id: string, name: string, origin?: unknown): void {
  const entry = entryOf(doc, id)
  const trimmed = checkName(doc, name, id)
  doc.transact(() => entry.set(SCENARIO_NAME_KEY, trimmed), origin ?? null)
}

/**
 * Deletes a scenario.
 *
 * @throws {@link BoardError} `invalid-scenario` for an unknown id
 */
export function deleteScenario(doc: Y.Doc, id: string, origin?: unknown): void {
  entryOf(doc, id)
  doc.transact(() => getScenariosMap(doc).delete(id), origin ?? null)
}

/**
 * Whether `path` = `value` is an override the sim accepts on this board: the path names a
 * parameter of the board's model and the model with the value applied is valid. Messages are
 * the sim's, e.g. `parameter "products.x.churn": "x" is not a product id` or `override
 * "products.jy-pay.churn" = -1: products[3].churn must be >= 0`.
 */
export function validateScenarioOverride(
  source: BoardSource,
  path: string,
  value: number,
): ChangeValidation {
  try {
    applyScenario(modelFromBoard(source), { name: 'check', overrides: { [path]: value } })
    return { ok: true }
  } catch (error) {
    if (error instanceof ModelError) {
      const first = error.problems[0]?.message ?? error.message
      const message = `the board cannot be simulated yet, so no override can be checked: ${first}`
      return { ok: false, message, problems: [{ path, message }] }
    }
    if (!(error instanceof AnalysisError)) throw error
    const messages = error.problems.map((problem) => problem.replace(/^scenario "check": /, ''))
    const message = messages[0] ?? error.message
    return { ok: false, message, problems: messages.map((m) => ({ path, message: m })) }
  }
}

/**
 * Sets one override of a scenario after checking it with {@link validateScenarioOverride}. Only
 * that key of the scenario's overrides map is written: two people editing different overrides
 * of one scenario both keep their change.
 *
 * @throws {@link BoardError} `invalid-scenario` for an unknown scenario or an override the sim rejects
 */
export function setScenarioOverride(
  doc: Y.Doc,
  id: string,
  path: string,
  value: number,
  origin?: unknown,
): void {
  const entry = entryOf(doc, id)
  const verdict = validateScenarioOverride(doc, path, value)
  if (!verdict.ok) throw new BoardError('invalid-scenario', verdict.message)
  doc.transact(() => {
    const overrides = overridesOf(entry)
    if (overrides.get(path) !== value) overrides.set(path, value)
  }, origin ?? null)
}

/**
 * Removes one override of a scenario (nothing happens when it has none for `path`).
 *
 * @throws {@link BoardError} `invalid-scenario` for an unknown scenario
 */
export function removeScenarioOverride(
  doc: Y.Doc,
  id: string,
  path: string,
  origin?: unknown,
): void {
  const entry = entryOf(doc, id)
  doc.transact(() => {
    const overrides = entry.get(SCENARIO_OVERRIDES_KEY)
    if (overrides instanceof Y.Map && overrides.has(path)) overrides.delete(path)
  }, origin ?? null)
}

/** The minimal view of a chain-map shape {@link overridePathOfShape} needs. */
export interface OverrideShape {
  /** Shape id. */
  readonly id: string
  /** Shape type (`chainmap-product`, …). */
  readonly type: string
  /** Props; a link's `from`/`to` are product shape ids. */
  readonly props: Readonly<Record<string, unknown>>
}

/**
 * The sim parameter path of a shape's numeric prop, for saving an inspector edit as an override:
 * `products.<id>.churn`, `markets.<id>.p`, `links.<from>-><to>.funnel`. Null for a prop that is
 * not a model parameter (a name, a size) or a shape that is not a market, product or link.
 */
export function overridePathOfShape(shape: OverrideShape, prop: string): string | null {
  switch (shape.type) {
    case MARKET_SHAPE_TYPE:
      return ['reach', 'p', 'q'].includes(prop)
        ? `markets.${modelIdOfShape(shape.id, 'market')}.${prop}`
        : null
    case PRODUCT_SHAPE_TYPE:
      return ['appeal', 'launchDay', 'initialUsers', 'churn'].includes(prop)
        ? `products.${modelIdOfShape(shape.id, 'product')}.${prop}`
        : null
    case LINK_SHAPE_TYPE: {
      const { from, to } = shape.props
      if (
        !['funnel', 'lockIn'].includes(prop) ||
        typeof from !== 'string' ||
        typeof to !== 'string'
      )
        return null
      if (from === '' || to === '') return null
      return `links.${modelIdOfShape(from, 'product')}->${modelIdOfShape(to, 'product')}.${prop}`
    }
    case COMPANY_SHAPE_TYPE:
      return null
    default:
      return null
  }
}
