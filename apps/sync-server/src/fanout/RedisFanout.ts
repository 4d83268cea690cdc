import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Fanout, FanoutEvent, FanoutListener } from './fanout.js'

/** Options of a {@link RedisFanout}. */
export interface RedisFanoutOptions {
  /** `redis://[:password@]host:6379[/db]` or `rediss://…` */
  readonly url: string
  /** Prefix of the pub/sub channels (one per room). Default `chainmap:`. */
  readonly prefix?: string
  /** Told about connection errors (ioredis keeps reconnecting by itself). */
  readonly onError?: (error: Error) => void
  /** Told about a message that could not be decoded (it is dropped). */
  readonly onMalformed?: (reason: string) => void
}

const FORMAT = 1
const KIND_UPDATE = 0
const KIND_AWARENESS = 1
const NODE_ID_BYTES = 8
const HEADER = 2 + NODE_ID_BYTES
const PING_WAIT_MS = 1000
/** ioredis's rejection of a command unanswered within `commandTimeout`. */
const COMMAND_TIMED_OUT = 'Command timed out'
const COMMAND_TIMEOUT_MS = 2000

/**
 * Cross-node {@link Fanout} over Redis pub/sub: one channel per room (`<prefix>room:<room>`),
 * binary messages `[format, kind, node id (8 bytes), seq (float64, updates only), payload]`.
 *
 * Redis pub/sub delivers at most once: a message published while a subscriber is disconnected, or
 * dropped on a full output buffer, is gone. That is fine here because every update is committed to
 * shared storage before it is published and carries its per-room sequence number: a node that
 * sees a gap, or whose periodic check finds storage ahead, catches up from storage. So publishing
 * never queues while Redis is unreachable (the event is dropped and found later in storage), and
 * memory stays bounded during an outage.
 */
export class RedisFanout implements Fanout {
  private readonly publisher: Redis
  private readonly subscriber: Redis
  private readonly prefix: string
  private readonly nodeId = randomBytes(NODE_ID_BYTES)
  private readonly listeners = new Map<string, Set<FanoutListener>>()
  private closed = false

  /** Connects (lazily reconnecting forever) to the Redis at `options.url`. */
  constructor(private readonly options: RedisFanoutOptions) {
    this.prefix = `${options.prefix ?? 'chainmap:'}room:`
    const onError = (error: Error) => options.onError?.(error)
    // A publish or ping never waits for a reconnect: no offline queue, and a 2 s answer limit.
    this.publisher = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
    })
    this.subscriber = new Redis(options.url, { autoResubscribe: true, maxRetriesPerRequest: null })
    this.publisher.on('error', onError)
    this.subscriber.on('error', onError)
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.receive(channel.toString(), message),
    )
  }

  publish(room: string, event: FanoutEvent): void {
    if (this.closed || this.publisher.status !== 'ready') return
    const payload = event.update
    const message = Buffer.allocUnsafe(HEADER + (event.kind === 'update' ? 8 : 0) + payload.length)
    message[0] = FORMAT
    message[1] = event.kind === 'update' ? KIND_UPDATE : KIND_AWARENESS
    this.nodeId.copy(message, 2)
    let offset = HEADER
    if (event.kind === 'update') {
      message.writeDoubleBE(event.seq, offset)
      offset += 8
    }
    message.set(payload, offset)
    // A lost publish is recovered by the receivers' catch-up from storage.
    this.publisher.publish(this.prefix + room, message).catch((error: Error) => {
      if (error.message === COMMAND_TIMED_OUT) this.dropUnansweredLink()
    })
  }

  subscribe(room: string, listener: FanoutListener): () => void {
    let set = this.listeners.get(room)
    if (!set) {
      set = new Set()
      this.listeners.set(room, set)
      this.subscriber
        .subscribe(this.prefix + room)
        .catch((error: Error) => this.options.onError?.(error))
    }
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size > 0 || this.listeners.get(room) !== set) return
      this.listeners.delete(room)
      if (!this.closed) this.subscriber.unsubscribe(this.prefix + room).catch(() => {})
    }
  }

  async ping(): Promise<void> {
    if (this.publisher.status !== 'ready') {
      // Just started or reconnecting: give the connection a moment before calling Redis down.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.publisher.off('ready', onReady)
          reject(new Error(`redis is ${this.publisher.status}`))
        }, PING_WAIT_MS)
        const onReady = () => {
          clearTimeout(timer)
          resolve()
        }
        this.publisher.once('ready', onReady)
      })
    }
    await this.publisher.ping()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.listeners.clear()
    await Promise.all(
      [this.publisher, this.subscriber].map((client) =>
        client.status === 'ready'
          ? client.quit().then(
              () => {},
              () => client.disconnect(),
            )
          : client.disconnect(),
      ),
    )
  }

  /**
   * An unanswered publish means the link is open but dead (a blackholed network): ioredis would
   * keep every later command waiting on it, and memory would grow for as long as the network
   * stays silent. Dropping the connection fails what waits on it; ioredis reconnects, and until
   * Redis answers again `publish` drops events (the receivers catch up from storage).
   */
  private dropUnansweredLink(): void {
    if (this.closed || this.publisher.status !== 'ready') return
    this.options.onError?.(
      new Error(`redis did not answer a publish within ${COMMAND_TIMEOUT_MS} ms: reconnecting`),
    )
    this.publisher.disconnect(true)
  }

  private receive(channel: string, message: Buffer): void {
    if (!channel.startsWith(this.prefix)) return
    const set = this.listeners.get(channel.slice(this.prefix.length))
    if (!set) return
    if (message.length < HEADER || message[0] !== FORMAT) {
      this.options.onMalformed?.(`unknown fan-out message format on ${channel}`)
      return
    }
    if (this.nodeId.equals(message.subarray(2, HEADER))) return
    let event: FanoutEvent
    if (message[1] === KIND_UPDATE && message.length >= HEADER + 8) {
      const seq = message.readDoubleBE(HEADER)
      event = { kind: 'update', seq, update: new Uint8Array(message.subarray(HEADER + 8)) }
    } else if (message[1] === KIND_AWARENESS) {
      event = { kind: 'awareness', update: new Uint8Array(message.subarray(HEADER)) }
    } else {
      this.options.onMalformed?.(`unknown fan-out message kind ${message[1]} on ${channel}`)
      return
    }
    for (const listener of set) {
      try {
        listener(event)
      } catch (error) {
        // A payload the room cannot apply must not take the node down (it would be an uncaught
        // exception in ioredis's event handler); the room catches up from storage instead.
        this.options.onMalformed?.(
          `fan-out message on ${channel} could not be applied: ${(error as Error).message}`,
        )
      }
    }
  }
}
