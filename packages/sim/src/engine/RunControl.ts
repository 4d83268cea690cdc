/** How a caller steers a running engine. */
export interface RunControl {
  /** Aborts the run: the engine throws the signal's reason at the next step. */
  readonly signal?: AbortSignal
  /** Called with the fraction done, in [0, 1], about a hundred times per run and once at the end. */
  readonly onProgress?: (fraction: number) => void
}
