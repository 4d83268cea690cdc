import type { Model } from '../model/types.js'
import type { SimulationResult } from '../result/SimulationResult.js'
import { AnalysisError } from './AnalysisError.js'

/**
 * One number read from a simulation: what sensitivity ranks drivers by and goal seek aims at.
 * `day` defaults to the horizon (the last entry); otherwise the first entry on or after `day`.
 *
 * - `users` / `share` / `lifetime` of a product (people; 0–1; days),
 * - `marketUsers` of a market (people),
 * - `companyUsers` (people) and `companyDepth` (products per company user) of a company,
 * - `companyShare`: the company's products' users in a market over the market's users (0–1).
 */
export type Outcome =
  | {
      readonly kind: 'users' | 'share' | 'lifetime'
      readonly product: string
      readonly day?: number
    }
  | { readonly kind: 'marketUsers'; readonly market: string; readonly day?: number }
  | {
      readonly kind: 'companyUsers' | 'companyDepth'
      readonly company: string
      readonly day?: number
    }
  | {
      readonly kind: 'companyShare'
      readonly company: string
      readonly market: string
      readonly day?: number
    }

const textKinds: Record<string, Outcome['kind']> = {
  users: 'users',
  share: 'share',
  lifetime: 'lifetime',
  'market-users': 'marketUsers',
  'company-users': 'companyUsers',
  'company-depth': 'companyDepth',
  'company-share': 'companyShare',
}

function badOutcome(text: string, why: string): AnalysisError {
  return new AnalysisError('BAD_OUTCOME', `outcome "${text}": ${why}`)
}

/**
 * Parses the text form of an outcome, as the CLI takes it: `<kind>:<id>[@<day>]` with kinds
 * `users`, `share`, `lifetime` (product id), `market-users` (market id), `company-users`,
 * `company-depth` (company id) and `company-share` (`<company>/<market>`), e.g.
 * `share:chinese-baby`, `company-share:ali/purchasing@200`.
 *
 * @param text - the outcome text
 * @returns the outcome (ids are checked later, against a model)
 * @throws {@link AnalysisError} `BAD_OUTCOME` naming the text and the rule
 */
export function parseOutcome(text: string): Outcome {
  const colon = text.indexOf(':')
  if (colon < 0)
    throw badOutcome(text, 'must look like <kind>:<id>[@<day>], e.g. share:chinese-baby')
  const kind = textKinds[text.slice(0, colon)]
  if (!kind) {
    throw badOutcome(
      text,
      `unknown kind "${text.slice(0, colon)}" (use ${Object.keys(textKinds).join(', ')})`,
    )
  }
  let id = text.slice(colon + 1)
  let day: number | undefined
  const at = id.lastIndexOf('@')
  if (at >= 0) {
    const dayText = id.slice(at + 1)
    day = Number(dayText)
    if (dayText === '' || !Number.isFinite(day) || day < 0) {
      throw badOutcome(text, `day "${dayText}" must be a number >= 0`)
    }
    id = id.slice(0, at)
  }
  if (id === '') throw badOutcome(text, 'names no id')
  const withDay = day === undefined ? {} : { day }
  switch (kind) {
    case 'users':
    case 'share':
    case 'lifetime':
      return { kind, product: id, ...withDay }
    case 'marketUsers':
      return { kind, market: id, ...withDay }
    case 'companyUsers':
    case 'companyDepth':
      return { kind, company: id, ...withDay }
    case 'companyShare': {
      const slash = id.lastIndexOf('/')
      if (slash <= 0 || slash === id.length - 1) {
        throw badOutcome(text, 'company-share needs <company>/<market>')
      }
      return { kind, company: id.slice(0, slash), market: id.slice(slash + 1), ...withDay }
    }
  }
}

/**
 * The text form of an outcome (the inverse of {@link parseOutcome}).
 *
 * @param outcome - the outcome
 * @returns e.g. `share:chinese-baby@200`
 */
export function formatOutcome(outcome: Outcome): string {
  const kind = Object.entries(textKinds).find(([, value]) => value === outcome.kind)![0]
  let id: string
  switch (outcome.kind) {
    case 'users':
    case 'share':
    case 'lifetime':
      id = outcome.product
      break
    case 'marketUsers':
      id = outcome.market
      break
    case 'companyUsers':
    case 'companyDepth':
      id = outcome.company
      break
    case 'companyShare':
      id = `${outcome.company}/${outcome.market}`
      break
  }
  return `${kind}:${id}${outcome.day === undefined ? '' : `@${outcome.day}`}`
}

/**
 * Checks that an outcome's ids exist in the model and its day lies within the horizon.
 *
 * @param model - a valid model
 * @param outcome - the outcome
 * @throws {@link AnalysisError} `BAD_OUTCOME` naming the outcome and the unknown id or bad day
 */
export function checkOutcome(model: Model, outcome: Outcome): void {
  const name = formatOutcome(outcome)
  const has = (list: readonly { id: string }[], id: string) => list.some((item) => item.id === id)
  if ('product' in outcome && !has(model.products, outcome.product)) {
    throw badOutcome(name, `"${outcome.product}" is not a product id`)
  }
  if ('company' in outcome && !has(model.companies, outcome.company)) {
    throw badOutcome(name, `"${outcome.company}" is not a company id`)
  }
  if ('market' in outcome && !has(model.markets, outcome.market)) {
    throw badOutcome(name, `"${outcome.market}" is not a market id`)
  }
  if (outcome.day !== undefined && !(outcome.day >= 0 && outcome.day <= model.horizonDays)) {
    throw badOutcome(name, `day ${outcome.day} is outside [0, ${model.horizonDays}]`)
  }
}

/**
 * The entry of a result at a day: the first entry on or after it, the last entry by default.
 *
 * @param days - the result's `days`
 * @param day - the day, or undefined for the horizon
 * @returns an index into every series
 */
export function entryAt(days: Float64Array, day: number | undefined): number {
  const last = days.length - 1
  if (day === undefined) return last
  for (let k = 0; k <= last; k++) if (days[k]! >= day - 1e-9) return k
  return last
}

/**
 * Reads an outcome from a result.
 *
 * @param model - the simulated model (for the company's products in a market)
 * @param result - its result
 * @param outcome - the outcome, checked with {@link checkOutcome}
 * @returns the outcome's value (`Infinity` for the lifetime of a product nobody drops)
 */
export function readOutcome(model: Model, result: SimulationResult, outcome: Outcome): number {
  const k = entryAt(result.days, outcome.day)
  switch (outcome.kind) {
    case 'users':
      return result.products[outcome.product]!.users[k]!
    case 'share':
      return result.products[outcome.product]!.share[k]!
    case 'lifetime':
      return result.products[outcome.product]!.expectedLifetime[k]!
    case 'marketUsers':
      return result.markets[outcome.market]!.users[k]!
    case 'companyUsers':
      return result.companies[outcome.company]!.users[k]!
    case 'companyDepth':
      return result.companies[outcome.company]!.depth[k]!
    case 'companyShare': {
      const marketUsers = result.markets[outcome.market]!.users[k]!
      if (marketUsers <= 0) return 0
      let held = 0
      for (const product of model.products) {
        if (product.company === outcome.company && product.market === outcome.market) {
          held += result.products[product.id]!.users[k]!
        }
      }
      return Math.min(1, held / marketUsers)
    }
  }
}
