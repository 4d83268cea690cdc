/** Why a simulation could not run (the model itself was valid). */
export type SimulationErrorCode = 'TOO_MANY_STATES' | 'TOO_MANY_PRODUCTS' | 'BAD_OPTIONS'

/** Thrown by `simulate` when a valid model cannot be simulated with the chosen engine/options. */
export class SimulationError extends Error {
  /** Stable error code for programs. */
  readonly code: SimulationErrorCode

  /**
   * @param code - stable error code
   * @param message - what happened and what to do instead
   */
  constructor(code: SimulationErrorCode, message: string) {
    super(message)
    this.name = 'SimulationError'
    this.code = code
  }
}
