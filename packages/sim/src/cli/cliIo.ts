/** Where the CLI writes. */
export interface CliIo {
  /** Standard output. */
  readonly out: (text: string) => void
  /** Standard error. */
  readonly err: (text: string) => void
}
