import { levenbergMarquardt } from 'ml-levenberg-marquardt'
import { inverse, Matrix } from 'ml-matrix'
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

/**
 * What the least squares compare: `users`, the observed levels; or `adoptions`, the change in
 * users from one observation to the next (the first observation is compared as a level, counted
 * from day 0), which is what the Bass-model literature fits to per-period sales (Srinivasan and
 * Mason's nonlinear least squares).
 */
export type FitTarget = 'users' | 'adoptions'

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
  /** The series the squares are taken of (default `users`). */
  readonly target?: FitTarget
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
  /**
   * Asymptotic standard errors of the fitted values by name, from the residual variance and the
   * Jacobian at the fit (s² (JᵀJ)⁻¹, central differences); `NaN` when there are no residual
   * degrees of freedom or the Jacobian is singular.
   */
  readonly standardErrors: Readonly<Partial<Record<FitParameter, number>>>
  /** The series the squares were taken of. */
  readonly target: FitTarget
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
const FIT_TARGETS: readonly FitTarget[] = ['users', 'adoptions']

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

/** Users at the observed days as the target compares them: levels, or changes since the last. */
function toTarget(levels: readonly number[], target: FitTarget): number[] {
  if (target === 'users') return [...levels]
  return levels.map((level, i) => (i === 0 ? level : level - levels[i - 1]!))
}

/** Inverse of a small square matrix (LU decomposition, `ml-matrix`), or null if it is singular. */
function invert(matrix: number[][]): number[][] | null {
  try {
    return inverse(new Matrix(matrix)).to2DArray()
  } catch {
    // ml-matrix refuses a singular matrix: the fit does not determine the parameters apart.
    return null
  }
}

/**
 * Calibrates a product's adoption to observed users by least squares (Levenberg–Marquardt, from
 * `ml-levenberg-marquardt`): fits its market's `p` and `q` (and optionally the market's `reach`
 * and the product's `appeal` and `churn`) so the expected engine's users of the product match the
 * observations — their levels (`target: 'users'`, the default) or their changes from one
 * observation to the next (`target: 'adoptions'`, per-period adoptions as in Srinivasan and
 * Mason's nonlinear least squares for the Bass model). The search runs on log scale for `p`, `q`,
 * `reach` and `appeal` (they are positive and span decades) and on a linear scale for `churn`
 * (which may be 0), starting from the model's values. The horizon is extended to the last
 * observed day when it falls short. Standard errors come from the Jacobian at the fit.
 *
 * @param model - the model as plain JSON (validated here); every other parameter stays as drawn
 * @param query - product, observations, parameters to fit, target series
 * @param options - signal and progress
 * @returns fitted values with standard errors, RMSE, R², the fitted series and a scenario
 * @throws {@link AnalysisError} `BAD_OBSERVATIONS` naming the bad point, `BAD_OPTIONS` for an
 *   unknown product, fit parameter or target
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
  const target = query.target ?? 'users'
  if (!FIT_TARGETS.includes(target)) {
    throw new AnalysisError(
      'BAD_OPTIONS',
      `target "${String(target)}" is not a fit target (use ${FIT_TARGETS.join(', ')})`,
    )
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
  const levels = observed.map((point) => point.users)
  const observedTarget = toTarget(levels, target)
  const modelTarget = (days: Float64Array, users: Float64Array, of: FitTarget = target) =>
    toTarget(
      observed.map((point) => sampleAt(days, users, point.day)),
      of,
    )
  // The least squares of adoptions have false minima far from the truth (a large p with a
  // tiny q fits a flat stretch of sales), so they start from the fit of the levels, which has
  // none in practice; the levels fit gets at most half the iteration budget then.
  const stages: FitTarget[] = target === 'adoptions' ? ['users', 'adoptions'] : ['users']
  const maxIterations = query.maxIterations ?? 200
  let theta: number[] = names.map((_, i) => (logScale[i] ? 0 : 1))
  let iterations = 0
  for (const stage of stages) {
    const wanted = toTarget(levels, stage)
    // Scaled to about 1 so the optimizer's tolerances mean the same for any population.
    const scale = Math.max(...wanted.map(Math.abs)) || 1
    const data = {
      // The optimizer evaluates the curve point by point; x is the observation's index.
      x: observed.map((_, i) => i),
      y: wanted.map((value) => value / scale),
    }
    const curve = (at: number[]) => {
      const { days, users } = simulateWith(at)
      const values = modelTarget(days, users, stage)
      return (index: number) => values[index]! / scale
    }
    const budget =
      stage === target ? maxIterations : iterations + Math.ceil((maxIterations - iterations) / 2)
    // The library stops only at an error tolerance or its iteration cap, and real data never
    // fits exactly; running it in short rounds lets us stop once a round no longer improves.
    let error = Number.POSITIVE_INFINITY
    while (iterations < budget) {
      const round = levenbergMarquardt(data, curve, {
        initialValues: theta,
        minValues,
        maxValues,
        gradientDifference: 1e-4,
        centralDifference: true,
        damping: 1e-2,
        maxIterations: Math.min(10, budget - iterations),
        errorTolerance: 1e-14,
      })
      iterations += Math.max(1, round.iterations)
      const improvement = error - round.parameterError
      theta = round.parameterValues
      error = Math.min(error, round.parameterError)
      if (round.parameterError <= 1e-14 || improvement <= error * 1e-9) break
      options.onProgress?.(Math.min(1, iterations / maxIterations))
    }
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
  const standardErrors = standardErrorsAt(
    names,
    names.map((_, i) => toValue(theta, i)),
    observedTarget,
    ranges,
    (fittedValues) => {
      const candidate = withParameters(base, targets, fittedValues)
      const result = simulate(candidate, options.signal ? { signal: options.signal } : {})
      return modelTarget(result.days, result.products[product.id]!.users)
    },
  )
  return {
    product: product.id,
    values,
    parameters,
    standardErrors,
    target,
    rmse: Math.sqrt(residual / observed.length),
    rSquared: total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0,
    iterations,
    fitted,
    series: { days, users },
    scenario: { name: `fit of ${product.id} (${names.join(', ')})`, overrides: parameters },
  }
}

/**
 * Asymptotic standard errors of least-squares estimates: s² (JᵀJ)⁻¹ with s² the residual sum of
 * squares over (n − k) and J the Jacobian of the model's target values by each parameter value,
 * by central differences of 1e-4 of each value.
 */
function standardErrorsAt(
  names: readonly FitParameter[],
  values: readonly number[],
  observed: readonly number[],
  ranges: readonly { readonly min: number; readonly max: number }[],
  model: (values: readonly number[]) => number[],
): Partial<Record<FitParameter, number>> {
  const k = names.length
  const n = observed.length
  const errors: Partial<Record<FitParameter, number>> = {}
  const at = model(values)
  const columns = values.map((value, i) => {
    const step = Math.abs(value) > 0 ? Math.abs(value) * 1e-4 : 1e-8
    // A value at a bound (churn 0) is differenced on one side only.
    const high = Math.min(ranges[i]!.max, value + step)
    const low = Math.max(ranges[i]!.min, value - step)
    const up = model(values.map((v, j) => (j === i ? high : v)))
    const down = model(values.map((v, j) => (j === i ? low : v)))
    return up.map((u, row) => (u - down[row]!) / (high - low))
  })
  const squares = observed.reduce((sum, y, row) => sum + (y - at[row]!) ** 2, 0)
  const information = columns.map((a) =>
    columns.map((b) => a.reduce((s, x, r) => s + x * b[r]!, 0)),
  )
  const inverse = n > k ? invert(information) : null
  names.forEach((name, i) => {
    const variance = inverse ? (squares / (n - k)) * inverse[i]![i]! : Number.NaN
    errors[name] = variance >= 0 ? Math.sqrt(variance) : Number.NaN
  })
  return errors
}
