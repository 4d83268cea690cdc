import { MAX_EXPONENT_WEIGHT } from '../model/limits.js'
import type { Link, Market, Model, Product } from '../model/types.js'
import { AnalysisError } from './AnalysisError.js'

/** Model-wide numbers a scenario may override (`settings.<field>`). */
export const SETTINGS_PARAMETERS = [
  'population',
  'horizonDays',
  'stepDays',
  'seed',
  'networkEffect',
  'ecosystemPull',
] as const
/** Market numbers a scenario may override (`markets.<id>.<field>`). */
export const MARKET_PARAMETERS = ['reach', 'p', 'q'] as const
/** Product numbers a scenario may override (`products.<id>.<field>`). */
export const PRODUCT_PARAMETERS = ['appeal', 'launchDay', 'initialUsers', 'churn'] as const
/** Link numbers a scenario may override (`links.<from>-><to>.<field>`). */
export const LINK_PARAMETERS = ['funnel', 'lockIn'] as const

/** Where a parameter path points in a model. */
export type ParameterTarget =
  | { readonly kind: 'settings'; readonly field: (typeof SETTINGS_PARAMETERS)[number] }
  | {
      readonly kind: 'markets'
      readonly index: number
      readonly field: (typeof MARKET_PARAMETERS)[number]
    }
  | {
      readonly kind: 'products'
      readonly index: number
      readonly field: (typeof PRODUCT_PARAMETERS)[number]
    }
  | {
      readonly kind: 'links'
      /** Index in `model.links`, or -1 when the board has no such link yet. */
      readonly index: number
      readonly from: string
      readonly to: string
      readonly field: (typeof LINK_PARAMETERS)[number]
    }

/** The valid range of a parameter in a given model (both ends included). */
export interface ParameterRange {
  /** Smallest valid value. */
  readonly min: number
  /** Largest valid value (`Infinity` when unbounded). */
  readonly max: number
  /** True when `min` itself is not valid (appeal must be > 0). */
  readonly minExclusive: boolean
  /** True when only integers are valid (population, seed). */
  readonly integer: boolean
}

function bad(path: string, why: string): AnalysisError {
  return new AnalysisError('BAD_PARAMETER', `parameter "${path}": ${why}`)
}

function pickField<T extends string>(
  path: string,
  owner: string,
  field: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(field)) {
    throw bad(path, `${owner} have no parameter "${field}" (use ${allowed.join(', ')})`)
  }
  return field as T
}

/**
 * Resolves a parameter path against a model. Paths: `settings.<field>`, `markets.<id>.<field>`,
 * `products.<id>.<field>`, `links.<from>-><to>.<field>` (ids may contain dots; the field is the
 * part after the last dot). A link path may name a link the board does not have yet, as long as
 * both products exist: writing it adds the link (see {@link writeParameter}).
 *
 * @param model - a valid model
 * @param path - the parameter path
 * @returns where the path points
 * @throws {@link AnalysisError} `BAD_PARAMETER` naming the path and what is wrong with it
 */
export function resolveParameter(model: Model, path: string): ParameterTarget {
  const firstDot = path.indexOf('.')
  const lastDot = path.lastIndexOf('.')
  if (firstDot <= 0) {
    throw bad(
      path,
      'must look like settings.<field>, markets.<id>.<field>, products.<id>.<field> or links.<from>-><to>.<field>',
    )
  }
  const group = path.slice(0, firstDot)
  if (group === 'settings') {
    const field = path.slice(firstDot + 1)
    return { kind: 'settings', field: pickField(path, 'settings', field, SETTINGS_PARAMETERS) }
  }
  if (lastDot === firstDot)
    throw bad(path, `must name an id and a field, e.g. ${group}.<id>.<field>`)
  const id = path.slice(firstDot + 1, lastDot)
  const field = path.slice(lastDot + 1)
  if (group === 'markets') {
    const index = model.markets.findIndex((market) => market.id === id)
    if (index < 0) throw bad(path, `"${id}" is not a market id`)
    return { kind: 'markets', index, field: pickField(path, 'markets', field, MARKET_PARAMETERS) }
  }
  if (group === 'products') {
    const index = model.products.findIndex((product) => product.id === id)
    if (index < 0) throw bad(path, `"${id}" is not a product id`)
    return {
      kind: 'products',
      index,
      field: pickField(path, 'products', field, PRODUCT_PARAMETERS),
    }
  }
  if (group === 'links') {
    const checked = pickField(path, 'links', field, LINK_PARAMETERS)
    const ids = new Set(model.products.map((product) => product.id))
    // Product ids may themselves contain "->": take the split where both ends are products.
    for (let at = id.indexOf('->'); at >= 0; at = id.indexOf('->', at + 1)) {
      const from = id.slice(0, at)
      const to = id.slice(at + 2)
      if (ids.has(from) && ids.has(to)) {
        const index = model.links.findIndex((link) => link.from === from && link.to === to)
        return { kind: 'links', index, from, to, field: checked }
      }
    }
    throw bad(path, `"${id}" does not name two product ids as <from>-><to>`)
  }
  throw bad(path, `unknown group "${group}" (use settings, markets, products or links)`)
}

/**
 * The path of a resolved parameter, in the canonical form.
 *
 * @param model - the model the target was resolved against
 * @param target - a resolved parameter
 * @returns the path, e.g. `markets.purchasing.p`
 */
export function parameterPath(model: Model, target: ParameterTarget): string {
  switch (target.kind) {
    case 'settings':
      return `settings.${target.field}`
    case 'markets':
      return `markets.${model.markets[target.index]!.id}.${target.field}`
    case 'products':
      return `products.${model.products[target.index]!.id}.${target.field}`
    case 'links':
      return `links.${target.from}->${target.to}.${target.field}`
  }
}

/**
 * Where a parameter sits in the model JSON, as `parseModel` names it in its problems.
 *
 * @param model - the model the target was resolved against
 * @param target - a resolved parameter
 * @returns e.g. `markets[6].p`, or `links[4].funnel` for a link added at the end
 */
export function modelFieldPath(model: Model, target: ParameterTarget): string {
  switch (target.kind) {
    case 'settings':
      return target.field
    case 'markets':
      return `markets[${target.index}].${target.field}`
    case 'products':
      return `products[${target.index}].${target.field}`
    case 'links':
      return `links[${target.index >= 0 ? target.index : model.links.length}].${target.field}`
  }
}

/**
 * Reads a parameter's value; a link the board does not have reads as 0 (no funnel, no lock-in).
 *
 * @param model - the model
 * @param target - a resolved parameter
 * @returns its value
 */
export function readParameter(model: Model, target: ParameterTarget): number {
  switch (target.kind) {
    case 'settings':
      return model[target.field]
    case 'markets':
      return model.markets[target.index]![target.field]
    case 'products':
      return model.products[target.index]![target.field]
    case 'links':
      return target.index >= 0 ? model.links[target.index]![target.field] : 0
  }
}

/**
 * A copy of `model` with each of `targets` set to the value at the same index.
 *
 * @param model - the model to copy (left unchanged)
 * @param targets - parameters resolved against this model
 * @param values - their new values (validated later by `parseModel`)
 * @returns the changed copy
 */
export function withParameters(
  model: Model,
  targets: readonly ParameterTarget[],
  values: readonly number[],
): Model {
  const copy: Model = structuredClone(model)
  targets.forEach((target, i) => {
    writeParameter(copy, target, values[i]!)
  })
  return copy
}

/**
 * Writes a parameter into a model **in place** (callers pass a copy). Writing a field of a link
 * the board does not have adds that link with funnel 0 and lock-in 0 first, so a scenario can
 * try a link nobody has drawn yet.
 *
 * @param model - the model to change (mutated)
 * @param target - a parameter resolved against this model
 * @param value - the new value (validated later by `parseModel`)
 */
export function writeParameter(model: Model, target: ParameterTarget, value: number): void {
  switch (target.kind) {
    case 'settings':
      ;(model as Record<(typeof SETTINGS_PARAMETERS)[number], number>)[target.field] = value
      return
    case 'markets':
      ;(model.markets[target.index] as Market)[target.field] = value
      return
    case 'products':
      ;(model.products[target.index] as Product)[target.field] = value
      return
    case 'links': {
      let link: Link | undefined = model.links.find(
        (candidate) => candidate.from === target.from && candidate.to === target.to,
      )
      if (!link) {
        link = { from: target.from, to: target.to, funnel: 0, lockIn: 0 }
        model.links.push(link)
      }
      link[target.field] = value
      return
    }
  }
}

/**
 * The valid range of a parameter given the rest of the model (the rules of `parseModel`):
 * reach within [largest initialUsers of the market's products, population], initialUsers within
 * [0, reach], lockIn within [0, 1], networkEffect and ecosystemPull within ±`MAX_EXPONENT_WEIGHT`,
 * appeal > 0, every other rate ≥ 0.
 *
 * @param model - the model
 * @param target - a resolved parameter
 * @returns the range
 */
export function parameterRange(model: Model, target: ParameterTarget): ParameterRange {
  const range = (min: number, max: number, minExclusive = false, integer = false) => ({
    min,
    max,
    minExclusive,
    integer,
  })
  switch (target.kind) {
    case 'settings':
      if (target.field === 'networkEffect' || target.field === 'ecosystemPull') {
        return range(-MAX_EXPONENT_WEIGHT, MAX_EXPONENT_WEIGHT)
      }
      if (target.field === 'population') {
        return range(Math.max(1, ...model.markets.map((m) => m.reach)), Infinity, false, true)
      }
      if (target.field === 'seed') return range(0, 0xffffffff, false, true)
      return range(0, Infinity, true)
    case 'markets': {
      if (target.field !== 'reach') return range(0, Infinity)
      const id = model.markets[target.index]!.id
      const largest = Math.max(
        0,
        ...model.products.filter((p) => p.market === id).map((p) => p.initialUsers),
      )
      return range(largest, model.population)
    }
    case 'products': {
      const product = model.products[target.index]!
      if (target.field === 'appeal') return range(0, Infinity, true)
      if (target.field === 'initialUsers') {
        const market = model.markets.find((m) => m.id === product.market)
        return range(0, market?.reach ?? 0)
      }
      return range(0, Infinity)
    }
    case 'links':
      return target.field === 'lockIn' ? range(0, 1) : range(0, Infinity)
  }
}

/**
 * The parameters a sensitivity analysis moves by default, in model order: `networkEffect` and
 * `ecosystemPull`; every market's `reach`, `p`, `q`; every product's `appeal`, `churn`,
 * `initialUsers`, `launchDay`; every link's `funnel` and `lockIn`. Not moved: `population`,
 * `horizonDays`, `stepDays` and `seed`, which set up the run rather than describe the market.
 *
 * @param model - a valid model
 * @returns parameter paths
 */
export function sensitivityParameters(model: Model): string[] {
  const paths = ['settings.networkEffect', 'settings.ecosystemPull']
  for (const market of model.markets) {
    for (const field of MARKET_PARAMETERS) paths.push(`markets.${market.id}.${field}`)
  }
  for (const product of model.products) {
    for (const field of ['appeal', 'churn', 'initialUsers', 'launchDay']) {
      paths.push(`products.${product.id}.${field}`)
    }
  }
  for (const link of model.links) {
    for (const field of LINK_PARAMETERS) paths.push(`links.${link.from}->${link.to}.${field}`)
  }
  return paths
}
