/**
 * `@chainmap/sim` — the ecosystem-chain market simulation.
 * @packageDocumentation
 */
export { bassStep } from './bass.js'
export { SimulationError, type SimulationErrorCode } from './engine/SimulationError.js'
export { MAX_EXPECTED_STATES, PRUNE_EPSILON } from './expected/limits.js'
export { MAX_EXPONENT_WEIGHT, MAX_STEPS } from './model/limits.js'
export { ModelError, type ModelProblem } from './model/ModelError.js'
export { modelJsonSchema } from './model/modelJsonSchema.js'
export {
  companySchema,
  linkSchema,
  marketSchema,
  modelSchema,
  productSchema,
} from './model/modelSchema.js'
export { parseModel } from './model/parseModel.js'
export type { Company, Link, Market, Model, Product } from './model/types.js'
export type {
  CompanySeries,
  LinkSeries,
  MarketSeries,
  ProductSeries,
  Series,
  SimulationResult,
  WithBands,
} from './result/SimulationResult.js'
export { linkKey } from './result/traceToResult.js'
export { DEFAULT_AGENTS, type SimulateOptions, simulate } from './simulate.js'
