/** One problem found in a model: where it is (`markets[0].p`) and what rule it breaks. */
export interface ModelProblem {
  /** Path of the offending field, e.g. `products[3].company`; empty for the whole model. */
  readonly path: string
  /** The full sentence, naming the path and the rule, e.g. `markets[0].p must be >= 0`. */
  readonly message: string
}

/** Thrown by `parseModel` and `simulate` for an invalid model; lists every problem found. */
export class ModelError extends Error {
  /** Stable error code for programs. */
  readonly code = 'INVALID_MODEL' as const
  /** Every problem found, in document order. */
  readonly problems: readonly ModelProblem[]

  /** @param problems - every problem found (at least one) */
  constructor(problems: readonly ModelProblem[]) {
    super(`invalid model:\n${problems.map((problem) => `  ${problem.message}`).join('\n')}`)
    this.name = 'ModelError'
    this.problems = problems
  }
}
