import type { Duplex } from 'node:stream'
import type { Logger } from 'pino'
import type WebSocket from 'ws'
import type { Role } from './auth/tokens.js'
import { CloseCodes } from './closeCodes.js'
import type { SyncMetrics } from './metrics.js'
import type { FramedMessage } from './protocol/wireFrame.js'
import { SyncError } from './SyncError.js'
import { TokenBucket } from './TokenBucket.js'

/** Who is on the other end of a {@link Connection}. */
export interface ConnectionInfo {
  /** Process-unique number, for logs. */
  readonly id: number
  /** The room this connection joined. */
  readonly room: string
  /** What the connection may do. */
  readonly role: Role
  /** Remote address (or the proxy's forwarded address when trusted). */
  readonly ip: string
  /** When its token was issued, in seconds since the epoch (0 on an open server). */
  readonly issuedAt?: number
}

/** Per-connection limits. */
export interface ConnectionLimits {
  /** Bytes queued for sending above which the connection is dropped as a slow reader. */
  readonly maxQueuedBytes: number
  /** Sustained document updates per second. */
  readonly updateRate: number
  /** Updates allowed in a burst. */
  readonly updateBurst: number
  /** Sustained changes of the connection's own presence per second. */
  readonly presenceRate: number
  /** Presence changes allowed in a burst. */
  readonly presenceBurst: number
  /** Sustained bytes received per second, in frames of every kind. */
  readonly byteRate: number
  /** Bytes a connection may send in a burst. */
  readonly byteBurst: number
}

const CLOSE_GRACE_MS = 2000
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * One client's websocket in a room: sends with an outgoing-queue cap, rate-limits incoming
 * updates, remembers the awareness client ids it announced, and closes itself with a clear code.
 */
export class Connection {
  /** Whether the last ping was answered. */
  alive = true
  private readonly updates: TokenBucket
  private readonly presence: TokenBucket
  private readonly bytesIn: TokenBucket
  // Bytes of a sync answer (the board's whole state) the queue may hold beyond its cap.
  private syncAllowance = 0
  private expiry: NodeJS.Timeout | undefined
  private closing = false

  /**
   * @param ws - the accepted websocket
   * @param socket - the connection's TCP socket (the one `ws` was given), for {@link sendFramed}
   * @param info - who it is
   * @param limits - its limits
   * @param metrics - where traffic is counted
   * @param log - logger bound to this connection
   */
  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Pick<Duplex, 'write'>,
    readonly info: ConnectionInfo,
    private readonly limits: ConnectionLimits,
    private readonly metrics: SyncMetrics,
    readonly log: Logger,
  ) {
    this.updates = new TokenBucket(limits.updateRate, limits.updateBurst)
    this.presence = new TokenBucket(limits.presenceRate, limits.presenceBurst)
    this.bytesIn = new TokenBucket(limits.byteRate, limits.byteBurst)
  }

  /** Whether frames can still be sent and received. */
  get open(): boolean {
    return !this.closing && this.ws.readyState === this.ws.OPEN
  }

  /** Sends one frame, or drops the connection if its outgoing queue is over the cap. */
  send(frame: Uint8Array): void {
    if (!this.mayQueue(frame.byteLength)) return
    this.ws.send(frame)
    this.counted(frame.byteLength)
  }

  /**
   * Sends a message framed once for many connections (see {@link FramedMessage}) by writing it
   * straight to the socket. Whole frames may go next to `ws`'s own: `ws` writes each of its frames
   * to the socket at once, as it never holds one back unless permessage-deflate (which the server
   * does not negotiate) or a Blob is being sent.
   */
  sendFramed(message: FramedMessage): void {
    if (!this.mayQueue(message.payloadBytes)) return
    this.socket.write(message.wire)
    this.counted(message.payloadBytes)
  }

  /**
   * Sends the answer to a sync request. It carries what the joiner lacks, up to the board's whole
   * state, which may be larger than the queue cap: the cap applies to what is queued beyond it.
   */
  sendSyncAnswer(frame: Uint8Array): void {
    if (!this.mayQueue(frame.byteLength, frame.byteLength)) return
    this.ws.send(frame)
    this.counted(frame.byteLength)
  }

  private mayQueue(bytes: number, allowance = 0): boolean {
    if (!this.open) return false
    // Counts bytes written by sendFramed too: they wait in the same socket buffer.
    const queued = this.ws.bufferedAmount
    // Once the queue is back under the cap, earlier sync answers have mostly left it.
    if (queued <= this.limits.maxQueuedBytes) this.syncAllowance = 0
    this.syncAllowance += allowance
    if (queued + bytes > this.limits.maxQueuedBytes + this.syncAllowance) {
      this.kick(
        new SyncError(
          'slow-consumer',
          `outgoing queue over ${this.limits.maxQueuedBytes} bytes`,
          CloseCodes.slowConsumer,
        ),
      )
      return false
    }
    return true
  }

  private counted(bytes: number): void {
    this.metrics.messagesOut.inc()
    this.metrics.bytesOut.inc(bytes)
  }

  /** Counts one incoming document update against the rate limit; throws when it is exceeded. */
  takeUpdateToken(): void {
    if (!this.updates.take()) {
      throw new SyncError(
        'rate-limited',
        `more than ${this.limits.updateRate} updates/s (burst ${this.limits.updateBurst})`,
        CloseCodes.rateLimited,
      )
    }
  }

  /** Counts a received frame's bytes against the byte-rate limit; throws when it is exceeded. */
  takeBytes(bytes: number): void {
    if (!this.bytesIn.take(bytes)) {
      throw new SyncError(
        'rate-limited',
        `more than ${this.limits.byteRate} bytes/s received (burst ${this.limits.byteBurst})`,
        CloseCodes.rateLimited,
      )
    }
  }

  /** Counts one change of the connection's own presence against its limit; throws when exceeded. */
  takePresenceToken(): void {
    if (!this.presence.take()) {
      throw new SyncError(
        'rate-limited',
        `more than ${this.limits.presenceRate} presence changes/s (burst ${this.limits.presenceBurst})`,
        CloseCodes.rateLimited,
      )
    }
  }

  /**
   * Closes the connection because handling its frame failed: a {@link SyncError} says why, with
   * its close code; anything else is a server bug, logged with its stack and closed with 1011.
   */
  reject(error: unknown): void {
    if (error instanceof SyncError) {
      this.kick(error)
      return
    }
    this.log.error({ err: error }, 'unexpected error while handling a frame')
    this.kick(new SyncError('internal-error', 'internal error', CloseCodes.internalError))
  }

  /** Closes the connection because of `error`, logging it and counting it. */
  kick(error: SyncError): void {
    if (this.closing) return
    this.log.warn(
      {
        code: error.code,
        closeCode: error.closeCode,
        ...(error.detail ? { detail: error.detail } : {}),
      },
      error.message,
    )
    this.metrics.kicked.inc({ reason: error.code })
    this.close(error.closeCode, error.message)
  }

  /**
   * Closes the connection with 4001 when its token expires at `expiresAt` (seconds since the epoch):
   * a client that renewed its token reconnects with the new one.
   */
  expireAt(expiresAt: number): void {
    const remaining = expiresAt * 1000 - Date.now()
    // Timers hold at most about 24.8 days: a longer wait is taken in steps.
    this.expiry = setTimeout(
      () => {
        if (Date.now() < expiresAt * 1000) this.expireAt(expiresAt)
        else {
          this.log.info({ code: 'token-expired' }, 'its token expired: closed with 4001')
          this.close(CloseCodes.tokenExpired, 'the link expired: reconnect with a renewed one')
        }
      },
      Math.min(Math.max(remaining, 0), MAX_TIMER_MS),
    )
    this.expiry.unref()
  }

  /** Closes with `code` and `reason`; a peer that does not answer the close is cut off. */
  close(code: number, reason: string): void {
    if (this.closing) return
    this.closing = true
    clearTimeout(this.expiry)
    // A close reason may carry at most 123 bytes.
    const shortReason = Buffer.from(reason).subarray(0, 123).toString()
    try {
      this.ws.close(code, shortReason)
    } catch {
      this.ws.terminate()
      return
    }
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref()
  }

  /** Cuts the connection at once without a close handshake. */
  terminate(): void {
    this.closing = true
    clearTimeout(this.expiry)
    this.ws.terminate()
  }

  /** Sends a ping; a connection that did not answer the previous one is cut off. */
  ping(): void {
    if (!this.alive) {
      this.log.info('no pong since the last ping: dropping dead connection')
      this.terminate()
      return
    }
    this.alive = false
    try {
      this.ws.ping()
    } catch {
      this.terminate()
    }
  }
}
