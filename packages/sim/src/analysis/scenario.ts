import { z } from 'zod'
import { formatIssue } from '../model/formatIssue.js'
import { ModelError } from '../model/ModelError.js'
import { parseModel } from '../model/parseModel.js'
import type { Model } from '../model/types.js'
import { AnalysisError } from './AnalysisError.js'
import { modelFieldPath, resolveParameter, writeParameter } from './parameters.js'

/**
 * A named set of parameter overrides: each key is a parameter path (`products.<id>.churn`,
 * `links.<from>-><to>.funnel`, `markets.<id>.p`, `settings.networkEffect`, …), each value the
 * number it takes in this scenario. A scenario without overrides is the board as drawn.
 */
export interface Scenario {
  /** Display name, unique within a comparison. */
  readonly name: string
  /** Parameter path → value. */
  readonly overrides: Readonly<Record<string, number>>
}

/** Zod schema of one scenario (the JSON form of {@link Scenario}). */
export const scenarioSchema = z.object({
  name: z.string().min(1),
  overrides: z.record(z.string(), z.number()),
})

/** Zod schema of a scenarios file in its object form `{ "scenarios": [...] }` (a bare array works too). */
export const scenarioFileSchema = z.object({ scenarios: z.array(scenarioSchema) })

/**
 * Validates plain JSON as a list of scenarios (the shape only; the overrides are checked
 * against a model by {@link applyScenario}).
 *
 * @param input - an array of `{ name, overrides }`, or `{ scenarios: [...] }`
 * @returns the scenarios
 * @throws {@link AnalysisError} `BAD_SCENARIO` naming every bad field, e.g. `scenarios[1].overrides.x must be a number`
 */
export function parseScenarios(input: unknown): Scenario[] {
  // Wrapping a bare array makes every problem path start with `scenarios[i]` in both forms.
  const file = Array.isArray(input) ? { scenarios: input } : input
  const parsed = scenarioFileSchema.safeParse(file, { reportInput: true })
  if (parsed.success) return parsed.data.scenarios
  throw new AnalysisError(
    'BAD_SCENARIO',
    parsed.error.issues.map((issue) => formatIssue(issue).message),
  )
}

/**
 * Applies a scenario's overrides to a model and validates the result.
 *
 * @param model - the model as plain JSON (validated here)
 * @param scenario - the scenario
 * @returns a new, valid model (the input is not changed)
 * @throws `ModelError` when the model itself is invalid; {@link AnalysisError} `BAD_SCENARIO`
 *   naming the scenario and the override at fault, e.g. `scenario "cheap": override
 *   "markets.social.p" = -1: markets[0].p must be >= 0`
 */
export function applyScenario(model: unknown, scenario: Scenario): Model {
  const base = parseModel(model)
  const changed = structuredClone(base)
  const problems: string[] = []
  const fieldToOverride = new Map<string, string>()
  const where = `scenario "${scenario.name}"`
  for (const [path, value] of Object.entries(scenario.overrides)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${where}: override "${path}" must be a finite number, got ${String(value)}`)
      continue
    }
    try {
      const target = resolveParameter(changed, path)
      fieldToOverride.set(modelFieldPath(changed, target), `${path}" = ${value}`)
      writeParameter(changed, target, value)
    } catch (error) {
      if (!(error instanceof AnalysisError)) throw error
      problems.push(`${where}: override ${error.message}`)
    }
  }
  if (problems.length > 0) throw new AnalysisError('BAD_SCENARIO', problems)
  try {
    return parseModel(changed)
  } catch (error) {
    if (!(error instanceof ModelError)) throw error
    throw new AnalysisError(
      'BAD_SCENARIO',
      error.problems.map((problem) => {
        const override = fieldToOverride.get(problem.path)
        return override
          ? `${where}: override "${override}: ${problem.message}`
          : `${where}: with its overrides, ${problem.message}`
      }),
    )
  }
}
