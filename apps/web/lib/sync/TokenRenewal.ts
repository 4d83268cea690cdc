import { decodeJwt } from 'jose'

// Timers hold at most about 24.8 days: a longer wait is taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1
// After a renewal that failed, try again this much later (while the token is still valid).
const RETRY_MS = 60_000

/**
 * Keeps an open board's token fresh: halfway through the token's life it asks the web server for
 * a new one (with the same role) and hands it on, so that the sync server, which closes a
 * connection when its token expires, finds a renewed one when the client reconnects.
 */
export class TokenRenewal {
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopped = false

  /**
   * @param token - the token the board was opened with
   * @param renew - asks for a new token; null when the server will not give one
   * @param apply - takes a new token into use
   */
  constructor(
    private token: string,
    private readonly renew: (token: string) => Promise<string | null>,
    private readonly apply: (token: string) => void,
  ) {}

  /** Starts renewing (nothing happens for a token without an expiry). */
  start(): void {
    this.schedule(this.halfway())
  }

  /** Stops renewing. */
  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  // When the current token is halfway through its life, in ms since the epoch; NaN without exp.
  private halfway(): number {
    const { iat, exp } = decodeJwt(this.token)
    if (typeof exp !== 'number') return Number.NaN
    const issued = typeof iat === 'number' ? iat : Date.now() / 1000
    return (issued + (exp - issued) / 2) * 1000
  }

  // When the current token expires, in ms since the epoch; Infinity without exp.
  private expiry(): number {
    const { exp } = decodeJwt(this.token)
    return typeof exp === 'number' ? exp * 1000 : Number.POSITIVE_INFINITY
  }

  private schedule(at: number): void {
    if (this.stopped || Number.isNaN(at)) return
    const delay = Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS)
    this.timer = setTimeout(() => {
      if (Date.now() < at) this.schedule(at)
      else void this.renewNow()
    }, delay)
  }

  private async renewNow(): Promise<void> {
    let next: string | null = null
    try {
      next = await this.renew(this.token)
    } catch {
      // The web server is unreachable for now: try again below.
    }
    if (this.stopped) return
    if (next) {
      this.token = next
      this.apply(next)
      this.schedule(this.halfway())
    } else if (Date.now() + RETRY_MS < this.expiry()) {
      // An expired token cannot be renewed: try again only while it is still valid.
      this.schedule(Date.now() + RETRY_MS)
    }
  }
}
