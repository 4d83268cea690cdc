/** Which server (and so which client library) a client process talks to. */
export type ServerKind = 'chainmap' | 'classic' | 'hocuspocus'

/**
 * Commands the bench sends to a client process, one at a time; each is answered with one
 * {@link JobResult} (a `connections` job also says `holding` first, and waits for `release`).
 */
export type Job =
  | {
      /** Open `clientsPerRoom` clients in each room (stock client of `server`) and wait until synced. */
      readonly kind: 'open'
      readonly server: ServerKind
      readonly url: string
      /** Several nodes of one server: the clients of each room alternate between them. */
      readonly urls?: readonly string[]
      readonly rooms: readonly string[]
      readonly clientsPerRoom: number
      /** Clients in each room across all client processes (default `clientsPerRoom`). */
      readonly roomSize?: number
      /**
       * Light clients (raw sockets that find cursors in the relayed bytes instead of applying them
       * to a Y.Doc) instead of stock ones: they can only send and receive cursors (`run`).
       */
      readonly light?: boolean
    }
  | {
      /**
       * Every open client sends `rate` updates/s; after `warmupMs`, updates sent during
       * `durationMs` are measured. Latency is taken only when sender and receiver live in this
       * process (one clock); deliveries are counted for every receiver.
       */
      readonly kind: 'run'
      readonly rate: number
      readonly warmupMs: number
      readonly durationMs: number
    }
  | {
      /** Writes `updates` numbered updates into each open room from its first client, then holds. */
      readonly kind: 'write'
      readonly updates: number
      readonly intervalMs: number
    }
  | {
      /** Counts the numbered updates each open room holds (after a restart). */
      readonly kind: 'count'
    }
  | {
      /** Write one small board into each room through one client per room; `hold` keeps them open. */
      readonly kind: 'boards'
      readonly server: ServerKind
      readonly url: string
      readonly rooms: readonly string[]
      readonly hold: boolean
    }
  | {
      /** Open and sync many connections, check one update reaches every peer, hold until told. */
      readonly kind: 'connections'
      readonly url: string
      readonly rooms: readonly string[]
      readonly clientsPerRoom: number
    }
  | {
      /** Closes every open client. */
      readonly kind: 'close'
    }

/** What a client process reports back. */
export type JobResult =
  | { readonly kind: 'open'; readonly synced: number; readonly clients: number }
  | {
      readonly kind: 'run'
      /** Latencies (ms) of measured deliveries whose sender is in this process. */
      readonly latenciesMs: number[]
      /** Deliveries the measured updates this process sent should make (to any process). */
      readonly expected: number
      /** Measured updates this process's clients received (from any process). */
      readonly delivered: number
      /** This process's CPU time over the measured window, as a share of one core. */
      readonly cpu: number
    }
  | {
      readonly kind: 'write'
      /** Updates written per room, all of them seen relayed by a second client of the room. */
      readonly relayed: number
    }
  | { readonly kind: 'count'; readonly found: number }
  | { readonly kind: 'boards'; readonly written: number; readonly boardBytes: number }
  | {
      readonly kind: 'connections'
      readonly connected: number
      readonly synced: number
      readonly syncMs: number
      readonly expected: number
      readonly delivered: number
    }
  | { readonly kind: 'close' }
