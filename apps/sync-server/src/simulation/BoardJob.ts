import type { SimulateOptions } from '@chainmap/sim'

/** Which days of a simulation an answer keeps (see `sampleResult`). */
export interface DaySample {
  /** Keep one day in this many (1: every day); the last day kept is always included. */
  readonly every: number
  /** Keep only days up to this one; undefined: to the horizon. */
  readonly until?: number
}

/** What a board worker is asked to answer. */
export type BoardJob =
  | { readonly kind: 'model'; readonly maxBytes: number }
  | {
      readonly kind: 'simulation'
      readonly options: SimulateOptions
      readonly sample: DaySample
      readonly maxBytes: number
    }

/** What a board worker posts back: the answer as JSON text, or why there is none. */
export type BoardReply =
  | { readonly ok: true; readonly json: string }
  | {
      readonly ok: false
      /**
       * A `BoardError` code (the board cannot be read), `invalid-model` (with `problems`), a
       * `SimulationError` code, `answer-too-large`, or `FAILED` (a bug).
       */
      readonly code: string
      readonly message: string
      readonly problems?: unknown
    }
