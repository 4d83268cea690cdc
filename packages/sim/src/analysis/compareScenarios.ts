import type { Model } from '../model/types.js'
import type { SimulationResult } from '../result/SimulationResult.js'
import { type SimulateOptions, simulate } from '../simulate.js'
import { AnalysisError } from './AnalysisError.js'
import { entryAt } from './outcome.js'
import { applyScenario, type Scenario } from './scenario.js'

/** The most scenarios one comparison takes (the canvas overlays at most four lines per chart). */
export const MAX_COMPARED_SCENARIOS = 4

/** Options of {@link compareScenarios}: the run options of `simulate`, plus the table's day. */
export interface CompareOptions extends SimulateOptions {
  /** Day of the outcome table (default: the horizon of each scenario's model). */
  day?: number
}

/** Outcomes of one scenario at the table's day. */
export interface ScenarioOutcomes {
  /** The day of the entry the table reads. */
  readonly day: number
  /** Per product: users (people), share of its market (0–1), expected lifetime (days, `Infinity` when nobody drops it). */
  readonly products: Record<
    string,
    { readonly users: number; readonly share: number; readonly expectedLifetime: number }
  >
  /** Per company: users (people holding any of its products) and ecosystem depth (products per user). */
  readonly companies: Record<string, { readonly users: number; readonly depth: number }>
  /** Per market: users (people holding any of its products). */
  readonly markets: Record<string, { readonly users: number }>
}

/** One scenario of a comparison. */
export interface ComparedScenario {
  /** The scenario as given. */
  readonly scenario: Scenario
  /** The model with the scenario's overrides applied. */
  readonly model: Model
  /** Its full simulation result (every series, for overlaid charts). */
  readonly result: SimulationResult
  /** Its outcomes at the table's day. */
  readonly outcomes: ScenarioOutcomes
}

/** What {@link compareScenarios} returns: the scenarios in the order given. */
export interface ScenarioComparison {
  /** One entry per scenario. */
  readonly scenarios: readonly ComparedScenario[]
}

/** One row of the side-by-side outcome table. */
export interface ComparisonRow {
  /** `product`, `company` or `market`. */
  readonly kind: 'product' | 'company' | 'market'
  /** The entity's id. */
  readonly id: string
  /** `users`, `share`, `expectedLifetime` or `depth`. */
  readonly measure: string
  /** One value per scenario, in the comparison's order. */
  readonly values: readonly number[]
}

function outcomesAt(
  model: Model,
  result: SimulationResult,
  day: number | undefined,
): ScenarioOutcomes {
  const k = entryAt(result.days, day)
  const products: Record<string, { users: number; share: number; expectedLifetime: number }> = {}
  for (const product of model.products) {
    const series = result.products[product.id]!
    products[product.id] = {
      users: series.users[k]!,
      share: series.share[k]!,
      expectedLifetime: series.expectedLifetime[k]!,
    }
  }
  const companies: Record<string, { users: number; depth: number }> = {}
  for (const company of model.companies) {
    const series = result.companies[company.id]!
    companies[company.id] = { users: series.users[k]!, depth: series.depth[k]! }
  }
  const markets: Record<string, { users: number }> = {}
  for (const market of model.markets)
    markets[market.id] = { users: result.markets[market.id]!.users[k]! }
  return { day: result.days[k]!, products, companies, markets }
}

/**
 * Simulates up to four scenarios of one board and tabulates their outcomes side by side. Each
 * scenario runs with the same options (so the agents engine uses the same seed: differences
 * come from the overrides, not from sampling). A scenario with no overrides is the board as drawn.
 *
 * @param model - the board's model as plain JSON (validated here)
 * @param scenarios - one to four scenarios with unique names
 * @param options - `simulate` options (engine, agents, runs, signal, onProgress over all runs) and `day`
 * @returns the scenarios with results and outcomes
 * @throws `ModelError` for an invalid model; {@link AnalysisError} `BAD_SCENARIO` for a bad
 *   override, duplicate names or more than four scenarios; `SimulationError` from the engine
 */
export function compareScenarios(
  model: unknown,
  scenarios: readonly Scenario[],
  options: CompareOptions = {},
): ScenarioComparison {
  if (scenarios.length === 0 || scenarios.length > MAX_COMPARED_SCENARIOS) {
    throw new AnalysisError(
      'BAD_SCENARIO',
      `compare takes 1 to ${MAX_COMPARED_SCENARIOS} scenarios, got ${scenarios.length}`,
    )
  }
  const seen = new Set<string>()
  for (const scenario of scenarios) {
    if (seen.has(scenario.name)) {
      throw new AnalysisError('BAD_SCENARIO', `scenario name "${scenario.name}" is used twice`)
    }
    seen.add(scenario.name)
  }
  // Validate every scenario before running any, so a typo in the last one fails fast.
  const models = scenarios.map((scenario) => applyScenario(model, scenario))
  const { day, onProgress, ...runOptions } = options
  if (day !== undefined && !(Number.isFinite(day) && day >= 0)) {
    throw new AnalysisError('BAD_OPTIONS', `options.day must be a number >= 0, got ${day}`)
  }
  const compared = models.map((scenarioModel, index) => {
    const result = simulate(scenarioModel, {
      ...runOptions,
      ...(onProgress
        ? { onProgress: (fraction: number) => onProgress((index + fraction) / models.length) }
        : {}),
    })
    return {
      scenario: scenarios[index]!,
      model: scenarioModel,
      result,
      outcomes: outcomesAt(scenarioModel, result, day),
    }
  })
  return { scenarios: compared }
}

/**
 * The outcome table of a comparison as rows (entity × measure) with one value per scenario:
 * products' users, share and expected lifetime, companies' users and depth, markets' users.
 * An entity missing from a scenario reads `NaN` there.
 *
 * @param comparison - what {@link compareScenarios} returned
 * @returns the rows, products first, then companies, then markets
 */
export function comparisonRows(comparison: ScenarioComparison): ComparisonRow[] {
  const rows: ComparisonRow[] = []
  const first = comparison.scenarios[0]
  if (!first) return rows
  const pick = <T>(
    read: (outcomes: ScenarioOutcomes) => T | undefined,
    value: (entry: T) => number,
  ) =>
    comparison.scenarios.map((compared) => {
      const entry = read(compared.outcomes)
      return entry === undefined ? Number.NaN : value(entry)
    })
  for (const id of Object.keys(first.outcomes.products)) {
    for (const measure of ['users', 'share', 'expectedLifetime'] as const) {
      rows.push({
        kind: 'product',
        id,
        measure,
        values: pick(
          (o) => o.products[id],
          (entry) => entry[measure],
        ),
      })
    }
  }
  for (const id of Object.keys(first.outcomes.companies)) {
    for (const measure of ['users', 'depth'] as const) {
      rows.push({
        kind: 'company',
        id,
        measure,
        values: pick(
          (o) => o.companies[id],
          (entry) => entry[measure],
        ),
      })
    }
  }
  for (const id of Object.keys(first.outcomes.markets)) {
    rows.push({
      kind: 'market',
      id,
      measure: 'users',
      values: pick(
        (o) => o.markets[id],
        (entry) => entry.users,
      ),
    })
  }
  return rows
}
