/** Bad command-line usage (missing or malformed arguments, unreadable files): exit code 2 with the usage text. */
export class UsageError extends Error {
  /** Stable error code for programs. */
  readonly code = 'BAD_USAGE' as const

  /** @param message - what is wrong, naming the argument or file */
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
