/**
 * Which of a room's stored updates a node's document holds, by per-room sequence number: `applied`
 * is the highest n such that every update 1…n is in the document. Updates seen out of order (a
 * newer one from this node's own commit or from another node, while an older one is still on its
 * way or was lost by the fan-out) are remembered until the hole is filled; {@link SeqTracker.hasGap}
 * tells the room to catch up from storage. Only `applied` may be used as a compaction's
 * `throughSeq`: the document is known to hold everything up to it.
 */
export class SeqTracker {
  private through = 0
  private readonly ahead = new Set<number>()

  /** Everything up to and including this sequence number is in the document. */
  get applied(): number {
    return this.through
  }

  /** Whether updates after a missing one were seen (the room should catch up). */
  get hasGap(): boolean {
    return this.ahead.size > 0
  }

  /** Records that the update numbered `seq` is in the document. */
  saw(seq: number): void {
    if (seq <= this.through) return
    if (seq !== this.through + 1) {
      this.ahead.add(seq)
      return
    }
    this.through = seq
    while (this.ahead.delete(this.through + 1)) this.through += 1
  }

  /** Records that every update up to `seq` is in the document (loaded or caught up from storage). */
  caughtUp(seq: number): void {
    if (seq <= this.through) return
    this.through = seq
    for (const pending of this.ahead) if (pending <= seq) this.ahead.delete(pending)
    while (this.ahead.delete(this.through + 1)) this.through += 1
  }
}
