import { levenbergMarquardt } from 'ml-levenberg-marquardt'
import { parseModel } from '../model/parseModel.js'
import { simulate } from '../simulate.js'
import { AnalysisError } from './AnalysisError.js'
import {
  type ParameterTarget,
  parameterRange,
  readParameter,
  resolveParameter,
  withParameters,
} from './parameters.js'
import type { Scenario } from './scenario.js'

/** One observation: people using the product on a day (day 0 = the model's day 0). */
export interface Observation {
  /** Day, ≥ 0. */
  readonly day: number
  /** People using the product that day, ≥ 0. */
  readonly users: number
}

/** What can be fitted: the product's market's `p`, `q`, `reach`, and the product's `appeal`, `churn`. */
export type FitParameter = 'p' | 'q' | 'reach' | 'appeal' | 'churn'

/** What to fit. */
export interface AdoptionFitQuery {
  /** The product whose users were observed. */
  readonly product: string
  /** The observed series (at least as many points as fitted parameters, plus one). */
  readonly observed: readonly Observation[]
  /** Parameters to fit (default `['p', 'q']`); each starts from the model's value. */
  readonly fit?: readonly FitParameter[]
  /** Levenberg–Marquardt iterations at most (default 200). */
  readonly maxIterations?: number
}

/** How a caller steers a running fit. */
export interface FitOptions {
  /** Cancels the fit: it throws the signal's reason from the next simulation. */
  readonly signal?: AbortSignal
  /** Called with the fraction of the iteration budget used, in [0, 1], after each round of iterations. */
  readonly onProgress?: (fraction: number) => void
}

/** What {@link fitAdoption} returns. */
export interface AdoptionFit {
  /** The product fitted. */
  readonly product: string
  /** Fitted values by name (`p`, `q`, … as asked). */
  readonly values: Readonly<Partial<Record<FitParameter, number>>>
  /** Fitted values by parameter path (`markets.<id>.p`, `products.<id>.churn`, …). */
  readonly parameters: Readonly<Record<string, number>>
  /** Root mean square error of the fitted users at the observed days (people). */
  readonly rmse: number
  /** Coefficient of determination, 1 − SS_res / SS_tot, of the fitted users at the observed days. */
  readonly rSquared: number
  /** Optimizer iterations used. */
  readonly iterations: number
  /** The fitted model's users at each observed day (for the overlay on the data). */
  readonly fitted: readonly Observation[]
  /** The fitted model's full users series of the product, with its days. */
  readonly series: { readonly days: Float64Array; readonly users: Float64Array }
  /** The fit as a scenario (the fitted values as overrides). */
  readonly scenario: Scenario
}

const FIT_PARAMETERS: readonly FitParameter[] = ['p', 'q', 'reach', 'appeal', 'churn']

/** Starting points when the model's own value cannot start a log-scale search (it is 0). */
const FALLBACK_START: Record<FitParameter, number> = {
  p: 1e-3,
  q: 1e-2,
  reach: 1,
  appeal: 1,
  churn: 1e-3,
}

function checkObservations(observed: readonly Observation[], minimum: number): Observation[] {
  const problems: string[] = []
  observed.forEach((point, index) => {
    if (!(typeof point?.day === 'number' && Number.isFinite(point.day) && point.day >= 0)) {
      problems.push(
        `observed[${index}].day must be a finite number >= 0 (got ${String(point?.day)})`,
      )
    }
    if (!(typeof point?.users === 'number' && Number.isFinite(point.users) && point.users >= 0)) {
      problems.push(
        `observed[${index}].users must be a finite number >= 0 (got ${String(point?.users)})`,
      )
    }
  })
  if (observed.length < minimum) {
    problems.push(`observed needs at least ${minimum} points for this fit, got ${observed.length}`)
  }
  if (problems.length > 0) throw new AnalysisError('BAD_OBSERVATIONS', problems)
  return [...observed].sort((a, b) => a.day - b.day)
}

/** Linear interpolation of a series aligned with `days` (entry k is day k · stepDays). */
function sampleAt(days: Float64Array, series: Float64Array, day: number): number {
  const step = days.length > 1 ? days[1]! - days[0]! : 1
  const position = Math.min(days.length - 1, Math.max(0, day / step))
  const low = Math.floor(position)
  const high = Math.min(days.length - 1, low + 1)
  const fraction = position - low
  return series[low]! + (series[high]! - series[low]!) * fraction
}

/**
 * Calibrates a product's adoption to observed users by least squares (Levenberg–Marquardt, from
 * `ml-levenberg-marquardt`): fits its market's `p` and `q` (and optionally the market's `reach`
 * and the product's `appeal` and `churn`) so the expected engine's users of the product match the
 * observations. The search runs on log scale for `p`, `q`, `reach` and `appeal` (they are
 * positive and span decades) and on a linear scale for `churn` (which may be 0), starting from
 * the model's values. The horizon is extended to the last observed day when it falls short.
 *
 * @param model - the model as plain JSON (validated here); every other parameter stays as drawn
 * @param query - product, observations, parameters to fit
 * @param options - signal and progress
 * @returns fitted values, RMSE, R², the fitted series and a scenario
 * @throws {@link AnalysisError} `BAD_OBSERVATIONS` naming the bad point, `BAD_OPTIONS` for an
 *   unknown product or fit parameter
 */
export function fitAdoption(
  model: unknown,
  query: AdoptionFitQuery,
  options: FitOptions = {},
): AdoptionFit {
  const parsed = parseModel(model)
  const product = parsed.products.find((candidate) => candidate.id === query.product)
  if (!product) {
    throw new AnalysisError('BAD_OPTIONS', `product "${query.product}" is not a product id`)
  }
  const names = [...(query.fit ?? ['p', 'q'])]
  for (const name of names) {
    if (!FIT_PARAMETERS.includes(name)) {
      throw new AnalysisError(
        'BAD_OPTIONS',
        `fit "${name}" is not a fit parameter (use ${FIT_PARAMETERS.join(', ')})`,
      )
    }
  }
  if (names.length === 0 || new Set(names).size !== names.length) {
    throw new AnalysisError('BAD_OPTIONS', 'fit must list one or more distinct parameters')
  }
  const observed = checkObservations(query.observed, names.length + 1)
  const base = structuredClone(parsed)
  const lastDay = observed[observed.length - 1]!.day
  if (lastDay > base.horizonDays) base.horizonDays = lastDay
  const paths = names.map((name) =>
    name === 'appeal' || name === 'churn'
      ? `products.${product.id}.${name}`
      : `markets.${product.market}.${name}`,
  )
  const targets: ParameterTarget[] = paths.map((path) => resolveParameter(base, path))
  const logScale = names.map((name) => name !== 'churn')
  const starts = targets.map((target, i) => {
    const value = readParameter(base, target)
    return value > 0 ? value : FALLBACK_START[names[i]!]
  })
  const toValue = (theta: readonly number[], i: number) =>
    logScale[i] ? starts[i]! * Math.exp(theta[i]!) : starts[i]! * theta[i]!
  const ranges = targets.map((target) => parameterRange(base, target))
  const minValues = ranges.map((range, i) => {
    if (!logScale[i]) return range.min / starts[i]!
    // Log scale cannot reach 0; 1e-12 of the start is as good as 0 for adoption.
    return Math.log(Math.max(range.min, starts[i]! * 1e-12) / starts[i]!)
  })
  const maxValues = ranges.map((range, i) => {
    const max = Math.min(range.max, starts[i]! * 1e12)
    return logScale[i] ? Math.log(max / starts[i]!) : max / starts[i]!
  })
  const scale = Math.max(...observed.map((point) => point.users)) || 1
  const simulateWith = (theta: readonly number[]) => {
    // The optimizer's finite differences step past the bounds it enforces on its own updates.
    const inRange = theta.map((t, i) => Math.min(maxValues[i]!, Math.max(minValues[i]!, t)))
    const candidate = withParameters(
      base,
      targets,
      targets.map((_, i) => toValue(inRange, i)),
    )
    const result = simulate(candidate, options.signal ? { signal: options.signal } : {})
    return { days: result.days, users: result.products[product.id]!.users }
  }
  const data = {
    x: observed.map((point) => point.day),
    // Scaled to about 1 so the optimizer's tolerances mean the same for any population.
    y: observed.map((point) => point.users / scale),
  }
  const curve = (theta: number[]) => {
    const { days, users } = simulateWith(theta)
    return (day: number) => sampleAt(days, users, day) / scale
  }
  // The library stops only at an error tolerance or its iteration cap, and real data never
  // fits exactly; running it in short rounds lets us stop once a round no longer improves.
  const maxIterations = query.maxIterations ?? 200
  let theta: number[] = names.map((_, i) => (logScale[i] ? 0 : 1))
  let error = Number.POSITIVE_INFINITY
  let iterations = 0
  while (iterations < maxIterations) {
    const round = levenbergMarquardt(data, curve, {
      initialValues: theta,
      minValues,
      maxValues,
      gradientDifference: 1e-4,
      centralDifference: true,
      damping: 1e-2,
      maxIterations: Math.min(10, maxIterations - iterations),
      errorTolerance: 1e-14,
    })
    iterations += Math.max(1, round.iterations)
    const improvement = error - round.parameterError
    theta = round.parameterValues
    error = Math.min(error, round.parameterError)
    if (round.parameterError <= 1e-14 || improvement <= error * 1e-9) break
    options.onProgress?.(Math.min(1, iterations / maxIterations))
  }
  options.onProgress?.(1)
  const { days, users } = simulateWith(theta)
  const fitted = observed.map((point) => ({
    day: point.day,
    users: sampleAt(days, users, point.day),
  }))
  const mean = observed.reduce((sum, point) => sum + point.users, 0) / observed.length
  let residual = 0
  let total = 0
  observed.forEach((point, i) => {
    residual += (point.users - fitted[i]!.users) ** 2
    total += (point.users - mean) ** 2
  })
  const values: Partial<Record<FitParameter, number>> = {}
  const parameters: Record<string, number> = {}
  names.forEach((name, i) => {
    values[name] = toValue(theta, i)
    parameters[paths[i]!] = toValue(theta, i)
  })
  return {
    product: product.id,
    values,
    parameters,
    rmse: Math.sqrt(residual / observed.length),
    rSquared: total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0,
    iterations,
    fitted,
    series: { days, users },
    scenario: { name: `fit of ${product.id} (${names.join(', ')})`, overrides: parameters },
  }
}
