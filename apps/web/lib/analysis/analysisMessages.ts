import type {
  AdoptionFit,
  FitParameter,
  GoalSeekResult,
  Observation,
  Outcome,
  Scenario,
  ScenarioComparison,
  SensitivityResult,
} from '@chainmap/sim'

/** An analysis job for the analysis worker (one job per worker; cancel = terminate it). */
export type AnalysisJob =
  | { kind: 'compare'; model: unknown; scenarios: Scenario[] }
  | { kind: 'sensitivity'; model: unknown; outcome: Outcome }
  | {
      kind: 'goalSeek'
      model: unknown
      parameter: string
      outcome: Outcome
      target: number
      direction: 'atLeast' | 'atMost'
    }
  | {
      kind: 'fit'
      model: unknown
      product: string
      observed: Observation[]
      fit: FitParameter[]
    }

/** What each job kind answers with. */
export interface AnalysisAnswers {
  compare: ScenarioComparison
  sensitivity: SensitivityResult
  goalSeek: GoalSeekResult
  fit: AdoptionFit
}

/** Worker → main thread. */
export type AnalysisResponse =
  | { kind: 'progress'; fraction: number }
  | { kind: 'result'; answer: AnalysisAnswers[AnalysisJob['kind']]; ms: number }
  | { kind: 'error'; message: string }
