import { parseModel } from '../model/parseModel.js'
import type { Model } from '../model/types.js'
import { type SimulateOptions, simulate } from '../simulate.js'
import { AnalysisError } from './AnalysisError.js'
import { checkOutcome, type Outcome, readOutcome } from './outcome.js'
import {
  parameterPath,
  parameterRange,
  readParameter,
  resolveParameter,
  sensitivityParameters,
  withParameters,
} from './parameters.js'

/** Options of {@link sensitivity}. */
export interface SensitivityOptions extends Omit<SimulateOptions, 'onProgress' | 'signal'> {
  /** Parameter paths to move (default: {@link sensitivityParameters} of the model). */
  parameters?: readonly string[]
  /** Relative move each way (default 0.2, i.e. ±20 %); in (0, 1). */
  change?: number
  /** Cancels the analysis: it rejects with the signal's reason between or during runs. */
  signal?: AbortSignal
  /** Called with the fraction of runs done, in [0, 1]. */
  onProgress?: (fraction: number) => void
}

/** How one parameter moves the outcome (one bar of a tornado chart). */
export interface SensitivityDriver {
  /** The parameter path. */
  readonly parameter: string
  /** Its value on the board. */
  readonly base: number
  /** The value moved down (base × (1 − change), clamped into the valid range). */
  readonly low: number
  /** The value moved up (base × (1 + change), clamped into the valid range). */
  readonly high: number
  /** The outcome with the parameter at `low`. */
  readonly outcomeLow: number
  /** The outcome with the parameter at `high`. */
  readonly outcomeHigh: number
  /** |outcomeHigh − outcomeLow|: the bar's length, what drivers are sorted by. */
  readonly swing: number
}

/** A parameter the analysis did not move, and why. */
export interface SkippedParameter {
  /** The parameter path. */
  readonly parameter: string
  /** `zero`: its value is 0, and ±20 % of 0 is still 0; `fixed`: clamping leaves no room to move. */
  readonly reason: 'zero' | 'fixed'
}

/** What {@link sensitivity} returns. */
export interface SensitivityResult {
  /** The outcome analysed. */
  readonly outcome: Outcome
  /** The outcome on the board as drawn. */
  readonly baseline: number
  /** The relative move used. */
  readonly change: number
  /** Every moved parameter, strongest first (`drivers.slice(0, 10)` is a ten-bar tornado). */
  readonly drivers: readonly SensitivityDriver[]
  /** Parameters not moved. */
  readonly skipped: readonly SkippedParameter[]
  /** Simulations run (1 + 2 per moved parameter). */
  readonly runs: number
}

/**
 * Lets the event loop run (a worker receives its cancel message here). A message round trip is
 * not throttled like nested `setTimeout(0)` in browsers (4 ms), and exists in Node and workers.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.addEventListener(
      'message',
      () => {
        channel.port1.close()
        resolve()
      },
      { once: true },
    )
    channel.port1.start()
    channel.port2.postMessage(null)
  })
}

function moved(model: Model, path: string, change: number) {
  const target = resolveParameter(model, path)
  const base = readParameter(model, target)
  const range = parameterRange(model, target)
  const clamp = (value: number) => {
    let clamped = Math.min(range.max, Math.max(range.min, value))
    if (range.integer) clamped = Math.round(clamped)
    return clamped
  }
  return {
    target,
    path: parameterPath(model, target),
    base,
    low: clamp(base * (1 - change)),
    high: clamp(base * (1 + change)),
  }
}

/**
 * One-at-a-time sensitivity: moves each numeric parameter ±`change` (default ±20 %) while the
 * others stay as drawn, simulates both, and ranks parameters by how far the outcome swings.
 * Moved values are clamped into the parameter's valid range (e.g. lock-in ≤ 1, reach ≤
 * population, population/seed rounded to integers); a parameter whose value is 0 is skipped
 * (`reason: 'zero'`), because a relative move of 0 is 0. Runs are sequential and the analysis
 * yields to the event loop between them, so a worker can cancel it through `signal`.
 *
 * @param model - the model as plain JSON (validated here)
 * @param outcome - the outcome to explain
 * @param options - parameters, change, engine options, signal, onProgress
 * @returns drivers sorted by swing (ties by parameter path), and the skipped parameters
 * @throws `ModelError` for an invalid model; {@link AnalysisError} for a bad outcome, parameter
 *   or option; the signal's reason when cancelled
 */
export async function sensitivity(
  model: unknown,
  outcome: Outcome,
  options: SensitivityOptions = {},
): Promise<SensitivityResult> {
  const base = parseModel(model)
  checkOutcome(base, outcome)
  const change = options.change ?? 0.2
  if (!(change > 0 && change < 1)) {
    throw new AnalysisError('BAD_OPTIONS', `options.change must be in (0, 1), got ${change}`)
  }
  const { parameters, change: _change, signal, onProgress, ...runOptions } = options
  const plans = (parameters ?? sensitivityParameters(base)).map((path) => moved(base, path, change))
  const seen = new Set<string>()
  for (const plan of plans) {
    if (seen.has(plan.path)) {
      throw new AnalysisError('BAD_PARAMETER', `parameter "${plan.path}" is listed twice`)
    }
    seen.add(plan.path)
  }
  const skipped: SkippedParameter[] = []
  const active = plans.filter((plan) => {
    if (plan.base === 0) skipped.push({ parameter: plan.path, reason: 'zero' })
    else if (plan.low === plan.high) skipped.push({ parameter: plan.path, reason: 'fixed' })
    else return true
    return false
  })
  const totalRuns = 1 + 2 * active.length
  let done = 0
  const run = async (candidate: Model): Promise<number> => {
    await yieldToEventLoop()
    signal?.throwIfAborted()
    const result = simulate(candidate, { ...runOptions, ...(signal ? { signal } : {}) })
    done++
    onProgress?.(done / totalRuns)
    return readOutcome(candidate, result, outcome)
  }
  const variant = (plan: (typeof active)[number], value: number): Model =>
    withParameters(base, [plan.target], [value])
  const baseline = await run(base)
  const drivers: SensitivityDriver[] = []
  for (const plan of active) {
    const outcomeLow = plan.low === plan.base ? baseline : await run(variant(plan, plan.low))
    const outcomeHigh = plan.high === plan.base ? baseline : await run(variant(plan, plan.high))
    drivers.push({
      parameter: plan.path,
      base: plan.base,
      low: plan.low,
      high: plan.high,
      outcomeLow,
      outcomeHigh,
      // Equal values (two infinite lifetimes included) swing 0 rather than NaN.
      swing: outcomeHigh === outcomeLow ? 0 : Math.abs(outcomeHigh - outcomeLow),
    })
  }
  drivers.sort((a, b) => b.swing - a.swing || (a.parameter < b.parameter ? -1 : 1))
  onProgress?.(1)
  return { outcome, baseline, change, drivers, skipped, runs: done }
}
