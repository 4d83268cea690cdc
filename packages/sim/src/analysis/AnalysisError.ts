/** Why a strategy analysis (scenario, sensitivity, goal seek, fit) could not run. */
export type AnalysisErrorCode =
  | 'BAD_SCENARIO'
  | 'BAD_PARAMETER'
  | 'BAD_OUTCOME'
  | 'BAD_OPTIONS'
  | 'BAD_OBSERVATIONS'
  | 'UNREACHABLE_TARGET'

/**
 * Thrown by the analysis functions for bad input (the message names the override, parameter,
 * outcome or observation at fault) and for a goal-seek target the parameter cannot reach.
 */
export class AnalysisError extends Error {
  /** Stable error code for programs. */
  readonly code: AnalysisErrorCode
  /** Every problem found (one sentence each); the message lists them too. */
  readonly problems: readonly string[]

  /**
   * @param code - stable error code
   * @param problems - one or more sentences, each naming what is wrong
   */
  constructor(code: AnalysisErrorCode, problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : [...problems]
    super(list.length === 1 ? list[0]! : list.join('\n'))
    this.name = 'AnalysisError'
    this.code = code
    this.problems = list
  }
}
