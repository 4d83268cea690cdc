/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`. Time comes in through
 * `now` (milliseconds) so that tests control it.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  /**
   * @param ratePerSecond - sustained rate
   * @param burst - bucket size: how many may be taken at once after a quiet period
   * @param now - clock in milliseconds
   */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst
    this.last = now()
  }

  /** Takes `count` tokens (one by default); `false`, taking none, if the bucket holds fewer. */
  take(count = 1): boolean {
    const now = this.now()
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.last) / 1000) * this.ratePerSecond,
    )
    this.last = now
    if (this.tokens < count) return false
    this.tokens -= count
    return true
  }
}
