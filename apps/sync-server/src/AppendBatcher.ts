import type { AppendEntry, RoomStorage } from './storage/storage.js'

interface PendingAppend extends AppendEntry {
  readonly resolve: (seq: number) => void
  readonly reject: (error: unknown) => void
}

/**
 * Collects the appends of one event-loop turn and commits them to storage in one transaction, so
 * that many small updates cost one commit (one fsync) instead of one each. Batches commit strictly
 * in order; each append's promise settles once its batch is committed (or failed).
 */
export class AppendBatcher {
  private batch: PendingAppend[] = []
  private scheduled = false
  private chain: Promise<void> = Promise.resolve()

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
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.commitBatch())
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

  private inFlight = 0

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
