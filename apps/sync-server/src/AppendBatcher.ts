import type { AppendEntry, RoomStorage } from './storage/storage.js'

interface PendingAppend extends AppendEntry {
  readonly resolve: (seq: number) => void
  readonly reject: (error: unknown) => void
}

/** Early commits per event-loop turn when every commit syncs the disk (see {@link AppendBatcher}). */
export const SYNCED_EARLY_COMMITS_PER_TURN = 8

/**
 * Collects appends and commits them to storage in one call per batch, so that many small updates
 * cost one commit instead of one each. Batches commit strictly in order; each append's promise
 * settles once its batch is committed (or failed).
 *
 * When to commit trades latency against commits per second:
 * - The appends made while handling one I/O event (one socket read) commit as soon as that callback
 *   returns (a microtask), so an update never waits for the other sockets the event loop serves in
 *   the same turn (waiting for the end of the turn cost up to 1.2 ms at p99 in the fan-out
 *   benchmark, and a cap on such early commits per turn up to 11 ms at 6,400 updates/s). On SQLite
 *   such a commit is one journal write (see `SqliteStorage`).
 * - Where every commit syncs the disk (SQLite with `synchronous = full`), a turn's early commits are
 *   capped (`earlyCommitsPerTurn`, {@link SYNCED_EARLY_COMMITS_PER_TURN} there): the rest of the
 *   turn's appends wait for its end (`setImmediate`) and share one commit, so a busy turn costs a
 *   few syncs instead of one per socket read.
 * - While a commit is in flight (storage that answers asynchronously, e.g. PostgreSQL), appends
 *   gather and commit together as soon as it is done (group commit).
 */
export class AppendBatcher {
  private batch: PendingAppend[] = []
  private scheduled = false
  private earlyCommits = 0
  private chain: Promise<void> = Promise.resolve()
  private inFlight = 0

  /**
   * @param storage - where batches are committed
   * @param observeCommit - told how long each commit took and how many updates it carried
   * @param earlyCommitsPerTurn - commits allowed per event-loop turn before appends wait for its end
   */
  constructor(
    private readonly storage: RoomStorage,
    private readonly observeCommit: (seconds: number, updates: number) => void = () => {},
    private readonly earlyCommitsPerTurn = Number.POSITIVE_INFINITY,
  ) {}

  /** Queues `update` for `room`; resolves with its sequence number once committed. */
  append(room: string, update: Uint8Array): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.batch.push({ room, update, resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      // Committed when the commit in flight is done (see commitBatch).
      if (this.inFlight > 0) return
      if (Number.isFinite(this.earlyCommitsPerTurn)) {
        if (this.earlyCommits >= this.earlyCommitsPerTurn) {
          setImmediate(() => this.commitBatch())
          return
        }
        if (this.earlyCommits === 0) {
          setImmediate(() => {
            this.earlyCommits = 0
          })
        }
        this.earlyCommits++
      }
      queueMicrotask(() => this.commitBatch())
    })
  }

  /** Resolves once everything appended so far is committed (or has failed). */
  async flush(): Promise<void> {
    if (this.batch.length > 0) this.commitBatch()
    await this.chain
  }

  /** Whether appends are waiting for their commit. */
  get idle(): boolean {
    return this.batch.length === 0 && this.inFlight === 0
  }

  private commitBatch(): void {
    this.scheduled = false
    const batch = this.batch
    if (batch.length === 0) return
    this.batch = []
    this.inFlight += batch.length
    this.chain = this.chain.then(async () => {
      const started = performance.now()
      try {
        const seqs = await this.storage.append(batch)
        this.observeCommit((performance.now() - started) / 1000, batch.length)
        for (const [i, entry] of batch.entries()) entry.resolve(seqs[i] ?? 0)
      } catch (error) {
        for (const entry of batch) entry.reject(error)
      } finally {
        this.inFlight -= batch.length
        // Appends that arrived during this commit go next, together.
        if (this.inFlight === 0 && this.batch.length > 0) this.commitBatch()
      }
    })
  }
}
