import { parseModel } from '../model/parseModel.js'
import { type SimulateOptions, simulate } from '../simulate.js'
import { AnalysisError } from './AnalysisError.js'
import { checkOutcome, formatOutcome, type Outcome, readOutcome } from './outcome.js'
import {
  parameterPath,
  parameterRange,
  readParameter,
  resolveParameter,
  withParameters,
} from './parameters.js'
import type { Scenario } from './scenario.js'

/** Most doublings of the upper end when the parameter has no upper bound and no `max` is given. */
export const MAX_BRACKET_DOUBLINGS = 40

/** What to seek. */
export interface GoalSeekQuery {
  /** The parameter path to vary, e.g. `links.ali-shopping->chinese-baby.funnel`. */
  readonly parameter: string
  /** The outcome to aim at. */
  readonly outcome: Outcome
  /** The outcome value to reach. */
  readonly target: number
  /** `atLeast` (default): reached when outcome ≥ target; `atMost`: when outcome ≤ target. */
  readonly direction?: 'atLeast' | 'atMost'
  /** Lower end of the search (default: the parameter's lower bound, e.g. 0 for a rate). */
  readonly min?: number
  /** Upper end (default: the parameter's upper bound; unbounded ones are bracketed by doubling). */
  readonly max?: number
  /** Stop when the bracket is this narrow (default (max − min) · 1e-6). */
  readonly tolerance?: number
}

/** What {@link goalSeek} returns. */
export interface GoalSeekResult {
  /** The parameter path (canonical form). */
  readonly parameter: string
  /** The smallest value found that reaches the target (within `tolerance`). */
  readonly value: number
  /** The outcome at `value`. */
  readonly outcomeValue: number
  /** The target. */
  readonly target: number
  /** Simulations run. */
  readonly evaluations: number
  /** The answer as a scenario (`{ [parameter]: value }`), ready to save on the board. */
  readonly scenario: Scenario
}

/**
 * Finds the smallest value of one parameter whose simulation reaches a target outcome, by
 * bracketing and bisection. It assumes the outcome moves monotonically with the parameter over
 * the range (true for a link's funnel or lock-in and its company's users; see the sim's
 * monotonicity tests): it checks both ends, then halves the bracket keeping "not reached" below
 * and "reached" above, so the answer is the upper end of the final bracket.
 *
 * @param model - the model as plain JSON (validated here)
 * @param query - parameter, outcome, target, direction, range, tolerance
 * @param options - `simulate` options (engine, agents, seed, runs; `signal` cancels the search,
 *   throwing its reason from the running simulation)
 * @returns the value, the outcome there and the answer as a scenario
 * @throws {@link AnalysisError} `UNREACHABLE_TARGET` naming the outcome at both ends of the range
 *   when the target is not reached within it; `BAD_PARAMETER` / `BAD_OUTCOME` / `BAD_OPTIONS` for bad input
 */
export function goalSeek(
  model: unknown,
  query: GoalSeekQuery,
  options: Omit<SimulateOptions, 'onProgress'> = {},
): GoalSeekResult {
  const base = parseModel(model)
  checkOutcome(base, query.outcome)
  const target = resolveParameter(base, query.parameter)
  const path = parameterPath(base, target)
  const range = parameterRange(base, target)
  if (!Number.isFinite(query.target)) {
    throw new AnalysisError('BAD_OPTIONS', `target must be a finite number, got ${query.target}`)
  }
  const atLeast = (query.direction ?? 'atLeast') === 'atLeast'
  const reached = (value: number) => (atLeast ? value >= query.target : value <= query.target)
  let evaluations = 0
  const evaluate = (value: number): number => {
    const copy = withParameters(base, [target], [value])
    evaluations++
    return readOutcome(copy, simulate(copy, options), query.outcome)
  }
  // A bound that is itself invalid (appeal > 0) starts a hair above it.
  const lowest = range.minExclusive
    ? range.min + Math.max(1e-12, Math.abs(readParameter(base, target)) * 1e-9)
    : range.min
  let lo = query.min ?? lowest
  let hi = query.max ?? range.max
  if (!(Number.isFinite(lo) && lo >= range.min && (lo > range.min || !range.minExclusive))) {
    throw new AnalysisError('BAD_OPTIONS', `min ${lo} is outside the valid range of ${path}`)
  }
  if (!(hi > lo && hi <= range.max)) {
    throw new AnalysisError(
      'BAD_OPTIONS',
      `max ${hi} must be above min ${lo} and at most ${range.max} for ${path}`,
    )
  }
  const atLow = evaluate(lo)
  const name = formatOutcome(query.outcome)
  const answer = (value: number, outcomeValue: number): GoalSeekResult => ({
    parameter: path,
    value,
    outcomeValue,
    target: query.target,
    evaluations,
    scenario: {
      name: `${path} for ${name} ${atLeast ? '>=' : '<='} ${query.target}`,
      overrides: { [path]: value },
    },
  })
  if (reached(atLow)) return answer(lo, atLow)
  let atHigh: number
  if (Number.isFinite(hi)) {
    atHigh = evaluate(hi)
  } else {
    // Unbounded above: double an upper end until it reaches the target (bracketing).
    hi = Math.max(2 * Math.abs(readParameter(base, target)), lo + 1e-3, 2 * lo)
    atHigh = evaluate(hi)
    for (let doubling = 0; !reached(atHigh) && doubling < MAX_BRACKET_DOUBLINGS; doubling++) {
      lo = hi
      hi *= 2
      atHigh = evaluate(hi)
    }
  }
  if (!reached(atHigh)) {
    throw new AnalysisError(
      'UNREACHABLE_TARGET',
      `${name} does not reach ${atLeast ? '>=' : '<='} ${query.target} for ${path} in [${query.min ?? lowest}, ${hi}]: it is ${atLow} at ${query.min ?? lowest} and ${atHigh} at ${hi}`,
    )
  }
  const tolerance = query.tolerance ?? (hi - lo) * 1e-6
  if (!(tolerance > 0)) {
    throw new AnalysisError('BAD_OPTIONS', `tolerance must be > 0, got ${tolerance}`)
  }
  while (hi - lo > tolerance) {
    // Integer parameters (population, seed) bisect on integers.
    const mid = range.integer ? Math.floor(lo + (hi - lo) / 2) : lo + (hi - lo) / 2
    if (mid <= lo || mid >= hi) break
    const value = evaluate(mid)
    if (reached(value)) {
      hi = mid
      atHigh = value
    } else {
      lo = mid
    }
  }
  return answer(hi, atHigh)
}
