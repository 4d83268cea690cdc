/** Work the bench hands to a client process. */
export type Job =
  | {
      /** Many rooms × clients, each client sending `rate` updates/s; measure fan-out latency. */
      readonly kind: 'fanout'
      readonly url: string
      readonly rooms: readonly string[]
      readonly clientsPerRoom: number
      readonly rate: number
      readonly warmupMs: number
      readonly durationMs: number
    }
  | {
      /** Open and sync many connections, check one update reaches every peer, hold until told. */
      readonly kind: 'connections'
      readonly url: string
      readonly rooms: readonly string[]
      readonly clientsPerRoom: number
    }
  | {
      /** Write one small board into each room, then disconnect. */
      readonly kind: 'boards'
      readonly url: string
      readonly rooms: readonly string[]
    }

/** What a client process reports back. */
export type JobResult =
  | {
      readonly kind: 'fanout'
      readonly latenciesMs: number[]
      readonly expected: number
      readonly delivered: number
    }
  | {
      readonly kind: 'connections'
      readonly connected: number
      readonly synced: number
      readonly syncMs: number
      readonly expected: number
      readonly delivered: number
    }
  | { readonly kind: 'boards'; readonly written: number; readonly boardBytes: number }
