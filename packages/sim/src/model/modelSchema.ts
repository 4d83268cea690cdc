import { z } from 'zod'
import { MAX_EXPONENT_WEIGHT } from './limits.js'

const id = z.string().min(1).max(200)
const rate = z.number().min(0)

/** A company on the board: it owns products. */
export const companySchema = z.object({
  id,
  name: z.string(),
  color: z.string().optional(),
})

/** A market: `reach` people (of the population) who could ever need it, Bass `p`, `q` per day. */
export const marketSchema = z.object({
  id,
  name: z.string(),
  reach: z.number().min(0),
  p: rate,
  q: rate,
})

/** A product of one company in one market. Rates are per day, days are simulation days. */
export const productSchema = z.object({
  id,
  name: z.string(),
  company: id,
  market: id,
  appeal: z.number().gt(0),
  launchDay: z.number().min(0),
  initialUsers: z.number().min(0),
  churn: rate,
})

/** A chain link from one product into another: funnel hazard per day and lock-in in [0, 1]. */
export const linkSchema = z.object({
  from: id,
  to: id,
  funnel: rate,
  lockIn: z.number().min(0).max(1),
})

/**
 * The zod schema of a chainmap model, version 1. It checks each field on its own; the
 * cross-references (ids, reach against population, step cap) are checked by `parseModel`.
 */
export const modelSchema = z.object({
  version: z.literal(1),
  population: z.number().int().min(1),
  horizonDays: z.number().gt(0),
  stepDays: z.number().gt(0),
  seed: z.number().int().min(0).max(0xffffffff),
  networkEffect: z.number().min(-MAX_EXPONENT_WEIGHT).max(MAX_EXPONENT_WEIGHT),
  ecosystemPull: z.number().min(-MAX_EXPONENT_WEIGHT).max(MAX_EXPONENT_WEIGHT),
  companies: z.array(companySchema),
  markets: z.array(marketSchema),
  products: z.array(productSchema),
  links: z.array(linkSchema),
})
