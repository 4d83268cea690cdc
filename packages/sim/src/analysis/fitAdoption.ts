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
  /**
   * Parameters to fit (default `['p', 'q']`); each starts from the model's value, and `p` and `q`
   * from a grid of values too.
   */
  readonly fit?: readonly FitParameter[]
  /**
   * Levenberg–Marquardt iterations at most, over every start (default 200): at most half screen
   * the starts, the rest refine the best two.
   */
  readonly maxIterations?: number
  /** The series the squares are taken of (default `users`). */
  readonly target?: FitTarget
}

/** How a caller steers a running fit. */
export interface FitOptions {
  /** Cancels the fit: it throws the signal's reason from the next simulation. */
  readonly signal?: AbortSignal
  /**
   * Called with the fraction of the iteration budget used, in [0, 1], after each round of
   * iterations (over every start, so it only grows).
   */
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
  /** Optimizer iterations used, over every start (at most `maxIterations`). */
  readonly iterations: number
  /** Starting points the optimizer was run from (the model's values and a grid of `p` and `q`). */
  readonly starts: number
  /** The fitted model's users at each observed day (for the overlay on the data). */
  readonly fitted: readonly Observation[]
  /** The fitted model's full users series of the product, with its days. */
  readonly series: { readonly days: Float64Array; readonly users: Float64Array }
  /** The fit as a scenario (the fitted values as overrides). */
  readonly scenario: Scenario
}

const FIT_PARAMETERS: readonly FitParameter[] = ['p', 'q', 'reach', 'appeal', 'churn']
const FIT_TARGETS: readonly FitTarget[] = ['users', 'adoptions']

/**
 * Starting `p` and `q` besides the model's, as multiples of 1 / (observed span in days): every
 * pair of them, 9 starts. They are log-spaced around a diffusion whose take-off the data cover
 * (Bass 1969's room air conditioners fit at p ≈ 0.12 and q ≈ 4.9 of it, the tests' synthetic
 * series at 0.36 and 9.6), with q / p from 2 to 800; the span is the scale because p and q are
 * per day and a model's day may describe an app that spreads in weeks or a durable in decades.
 */
const P_GRID: readonly number[] = [0.02, 0.1, 0.5]
const Q_GRID: readonly number[] = [1, 4, 16]

/** Levels iterations from each start before the best are refined. */
const SCREEN_ITERATIONS = 5

/** Screened starts refined with the rest of the budget. */
const REFINED = 2

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
 * (which may be 0). It starts from the model's values and from a 3 × 3 grid of `p` and `q` scaled
 * to the observed span (the other fitted parameters at the model's values there), since a single
 * start several times off the answer can end in a false minimum (`q` → 0, or a huge `p`): up to 5
 * levels iterations from each start (within half the budget) screen them, the best two distinct
 * screened points are refined with the rest, and the one with the smaller sum of squares of the
 * target wins. The horizon is extended to the last observed day when it falls short. Standard
 * errors come from the Jacobian at the fit.
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
  // The search runs relative to the model's values: theta 0 (log scale) or 1 (linear) is them.
  const reference = targets.map((target, i) => {
    const value = readParameter(base, target)
    return value > 0 ? value : FALLBACK_START[names[i]!]
  })
  const toValue = (theta: readonly number[], i: number) =>
    logScale[i] ? reference[i]! * Math.exp(theta[i]!) : reference[i]! * theta[i]!
  const ranges = targets.map((target) => parameterRange(base, target))
  const minValues = ranges.map((range, i) => {
    if (!logScale[i]) return range.min / reference[i]!
    // Log scale cannot reach 0; 1e-12 of the start is as good as 0 for adoption.
    return Math.log(Math.max(range.min, reference[i]! * 1e-12) / reference[i]!)
  })
  const maxValues = ranges.map((range, i) => {
    const max = Math.min(range.max, reference[i]! * 1e12)
    return logScale[i] ? Math.log(max / reference[i]!) : max / reference[i]!
  })
  const clamp = (theta: readonly number[]) =>
    theta.map((t, i) => Math.min(maxValues[i]!, Math.max(minValues[i]!, t)))
  const simulateWith = (theta: readonly number[]) => {
    // The optimizer's finite differences step past the bounds it enforces on its own updates.
    const inRange = clamp(theta)
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
  const squaresAt = (theta: readonly number[]) => {
    const { days, users } = simulateWith(theta)
    const squares = modelTarget(days, users).reduce(
      (sum, value, i) => sum + (observedTarget[i]! - value) ** 2,
      0,
    )
    return Number.isNaN(squares) ? Number.POSITIVE_INFINITY : squares
  }
  const maxIterations = query.maxIterations ?? 200
  let iterations = 0
  /** Levenberg–Marquardt on one stage's squares from `start` until `budget` total iterations. */
  const descend = (start: number[], stage: FitTarget, budget: number): number[] => {
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
    let theta = start
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
    return theta
  }
  // The least squares of adoptions have false minima far from the truth (a large p with a
  // tiny q fits a flat stretch of sales), so they start from the fit of the levels, which has
  // fewer; the levels fit gets at most half of the iterations left to the start then.
  const refine = (start: number[], budget: number): number[] =>
    target === 'adoptions'
      ? descend(
          descend(start, 'users', iterations + Math.ceil((budget - iterations) / 2)),
          'adoptions',
          budget,
        )
      : descend(start, 'users', budget)
  // Both fits also have a basin of q -> 0 (and a flat region of huge p) that a start several
  // times off the answer slides into, so the search starts from a grid of p and q as well.
  const span = Math.max(lastDay - product.launchDay, base.stepDays)
  const own = names.map((_, i) => (logScale[i] ? 0 : 1))
  let grid: number[][] = [own]
  names.forEach((name, i) => {
    const rates = name === 'p' ? P_GRID : name === 'q' ? Q_GRID : []
    if (rates.length === 0) return
    grid = grid.flatMap((start) =>
      rates.map((rate) =>
        start.map((t, j) => (j === i ? Math.log(rate / span / reference[i]!) : t)),
      ),
    )
  })
  let starts = grid.length > 1 ? [own, ...grid] : [own]
  starts = starts.map(clamp)
  // The screen takes at most half the budget, in equal shares; with too few iterations for a
  // share each, the model's values are the only start.
  const screenIterations = Math.min(
    SCREEN_ITERATIONS,
    Math.floor(maxIterations / 2 / starts.length),
  )
  if (screenIterations < 1) starts = starts.slice(0, 1)
  let theta: number[]
  if (starts.length === 1) {
    theta = refine(starts[0]!, maxIterations)
  } else {
    // Screen: a few levels iterations from every start, ranked by the target's squares.
    const screened = starts.map((start) => {
      const at = descend(start, 'users', iterations + screenIterations)
      return { theta: at, squares: squaresAt(at) }
    })
    const ranked = [...screened].sort((a, b) => a.squares - b.squares)
    // Refine the best that are not the same point again, sharing what is left of the budget
    // (what one leaves unused goes to the next).
    const chosen: number[][] = []
    for (const candidate of ranked) {
      if (chosen.length === REFINED) break
      const same = chosen.some((other) =>
        other.every((t, i) => Math.abs(t - candidate.theta[i]!) < 1e-2),
      )
      if (!same) chosen.push(candidate.theta)
    }
    const refined = chosen.map((start, j) => {
      const at = refine(
        start,
        iterations + Math.floor((maxIterations - iterations) / (chosen.length - j)),
      )
      return { theta: at, squares: squaresAt(at) }
    })
    theta = refined.reduce((best, next) => (next.squares < best.squares ? next : best)).theta
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
    starts: starts.length,
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
