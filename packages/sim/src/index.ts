/**
 * `@chainmap/sim` — the ecosystem-chain market simulation.
 * @packageDocumentation
 */
export { AnalysisError, type AnalysisErrorCode } from './analysis/AnalysisError.js'
export {
  type ComparedScenario,
  type CompareOptions,
  type ComparisonRow,
  compareScenarios,
  comparisonRows,
  MAX_COMPARED_SCENARIOS,
  type ScenarioComparison,
  type ScenarioOutcomes,
} from './analysis/compareScenarios.js'
export {
  type AdoptionFit,
  type AdoptionFitQuery,
  type FitOptions,
  type FitParameter,
  type FitTarget,
  fitAdoption,
  type Observation,
} from './analysis/fitAdoption.js'
export {
  type GoalSeekQuery,
  type GoalSeekResult,
  goalSeek,
  MAX_BRACKET_DOUBLINGS,
} from './analysis/goalSeek.js'
export {
  checkOutcome,
  formatOutcome,
  type Outcome,
  parseOutcome,
  readOutcome,
} from './analysis/outcome.js'
export {
  LINK_PARAMETERS,
  MARKET_PARAMETERS,
  PRODUCT_PARAMETERS,
  SETTINGS_PARAMETERS,
  sensitivityParameters,
} from './analysis/parameters.js'
export { parseObservationsCsv } from './analysis/parseObservationsCsv.js'
export {
  applyScenario,
  parseScenarios,
  type Scenario,
  scenarioFileSchema,
  scenarioSchema,
} from './analysis/scenario.js'
export {
  type SensitivityDriver,
  type SensitivityOptions,
  type SensitivityResult,
  type SkippedParameter,
  sensitivity,
} from './analysis/sensitivity.js'
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
