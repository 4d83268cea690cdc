import type { z } from 'zod'
import type {
  companySchema,
  linkSchema,
  marketSchema,
  modelSchema,
  productSchema,
} from './modelSchema.js'

/** A validated chainmap model (see the package README for every field and its unit). */
export type Model = z.infer<typeof modelSchema>
/** A company: `id`, `name`, optional display `color`. */
export type Company = z.infer<typeof companySchema>
/** A market: `reach` people, Bass coefficients `p` and `q` per day. */
export type Market = z.infer<typeof marketSchema>
/** A product: owner `company`, `market`, `appeal` > 0, `launchDay`, `initialUsers`, `churn` per day. */
export type Product = z.infer<typeof productSchema>
/** A link between two products: `funnel` hazard per day and `lockIn` in [0, 1]. */
export type Link = z.infer<typeof linkSchema>
