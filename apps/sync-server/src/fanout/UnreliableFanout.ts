import { seededRandom } from '../seededRandom.js'
import type { Fanout, FanoutEvent, FanoutListener } from './fanout.js'

/** How a {@link UnreliableFanout} mistreats incoming events. */
export interface Unreliability {
  /** Fraction of incoming events dropped, in [0, 1]. */
  readonly drop: number
  /** Incoming events are delivered after a random delay in [0, delayMs). */
  readonly delayMs: number
  /** Seed of the choices, so a failing run can be replayed. */
  readonly seed: number
}

/**
 * TEST ONLY (`CHAINMAP_TEST_FANOUT_DROP`, `CHAINMAP_TEST_FANOUT_DELAY_MS`): wraps a real
 * {@link Fanout} and drops or delays (and so reorders) the events other nodes send, to prove that
 * nodes converge through catch-up from storage whatever the fan-out loses.
 */
export class UnreliableFanout implements Fanout {
  private readonly random: () => number
  private readonly timers = new Set<NodeJS.Timeout>()

  /**
   * @param inner - the real fan-out
   * @param faults - what to drop and delay
   */
  constructor(
    private readonly inner: Fanout,
    private readonly faults: Unreliability,
  ) {
    this.random = seededRandom(faults.seed)
  }

  publish(room: string, event: FanoutEvent): void {
    this.inner.publish(room, event)
  }

  subscribe(room: string, listener: FanoutListener): () => void {
    let active = true
    const unsubscribe = this.inner.subscribe(room, (event) => {
      if (this.random() < this.faults.drop) return
      if (this.faults.delayMs <= 0) return listener(event)
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        try {
          if (active) listener(event)
        } catch {
          // Same as an undelivered message: the room catches up from storage.
        }
      }, this.random() * this.faults.delayMs)
      this.timers.add(timer)
    })
    return () => {
      active = false
      unsubscribe()
    }
  }

  ping(): Promise<void> {
    return this.inner.ping()
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await this.inner.close()
  }
}
