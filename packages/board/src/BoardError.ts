/** What went wrong, machine-readable. */
export type BoardErrorCode =
  | 'invalid-record'
  | 'migration-failed'
  | 'newer-schema'
  | 'read-only'
  | 'invalid-settings'
  | 'invalid-scenario'

/** The board package's domain error: every failure carries a {@link BoardErrorCode}. */
export class BoardError extends Error {
  /** Machine-readable kind of failure. */
  readonly code: BoardErrorCode

  /** @param code - kind of failure; @param message - human-readable, names the record or field. */
  constructor(code: BoardErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'BoardError'
    this.code = code
  }
}
