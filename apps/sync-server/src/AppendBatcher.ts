import type { AppendEntry, RoomStorage } from './storage/storage.js'

interface PendingAppend extends AppendEntry {
  readonly resolve: (seq: number) => void
  readonly reject: (error: unknown) => void
}

/**
 * Collects appends and commits them to storage in one transaction per batch, so that many small
 * updates cost one commit (one fsync) instead of one each. Batches commit strictly in order; each
 * append's promise settles once its batch is committed (or failed).
 *
 * When to commit trades latency against commits per second. The first batch of an event-loop turn
 * commits as soon as the callback that appended it returns (a microtask): on a lightly loaded
 * server an update is relayed without waiting for the rest of the turn's I/O. Appends arriving
 * later in the same turn wait for the end of the turn (`setImmediate`) and share one commit, so a
 * busy server makes at most two commits per turn however many updates it receives.
 */
export class AppendBatcher {
  private batch: PendingAppend[] = []
  private scheduled = false
  private committedThisTurn = false
  private chain: Promise<void> = Promise.resolve()
  private inFlight = 0

  /**
   * @param storage - where batches are committed
   * @param observeCommit - told how long each commit took and how many updates it carried
   */
  constructor(
    private readonly storage: RoomStorage,
    private readonly observeCommit: (seconds: number, updates: number) => void = () => {},
  ) {}

  /** Queues `update` for `room`; resolves with its sequence number once committed. */
  append(room: string, update: Uint8Array): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.batch.push({ room, update, resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      if (this.committedThisTurn) {
        setImmediate(() => this.commitBatch())
      } else {
        this.committedThisTurn = true
        setImmediate(() => {
          this.committedThisTurn = false
        })
        queueMicrotask(() => this.commitBatch())
      }
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
      }
    })
  }
}
