/** Why an analysis gave no answer: the sim's message, or a cancellation. */
export class AnalysisFailed extends Error {
  /** `cancelled` when the person stopped it, `failed` when the sim refused or the worker broke. */
  readonly code: 'cancelled' | 'failed'

  /** @param message - the sim's message; @param cancelled - whether it was stopped on purpose */
  constructor(message: string, cancelled: boolean) {
    super(message)
    this.name = 'AnalysisFailed'
    this.code = cancelled ? 'cancelled' : 'failed'
  }

  /** True when the person stopped it. */
  get cancelled(): boolean {
    return this.code === 'cancelled'
  }
}
