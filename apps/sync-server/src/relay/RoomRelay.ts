import * as Y from 'yjs'
import type { Connection } from '../Connection.js'
import { writeUpdate } from '../protocol/messages.js'
import { type FramedMessage, frameBinaryMessage } from '../protocol/wireFrame.js'

/**
 * Rooms with at least this many connections merge the relays that become ready late in an
 * event-loop turn (see {@link RoomRelay.relay}). Below it a relay is a few socket writes, and
 * waiting for the end of a busy turn cost more than it saved: at 6,400 updates/s in rooms of 4 the
 * server's own relay delay rose from 0.2 to 4 ms at p50 (docs/benchmarks.md, 2026-12-07).
 */
export const MERGE_LATE_RELAYS_FROM_CONNECTIONS = 16

/** An update waiting to be relayed: committed by this node, or another node's. */
export interface PendingRelay {
  readonly update: Uint8Array
  /** The connection it came from, which is not sent it back; null for another node's. */
  readonly sender: Connection | null
  /** `performance.now()` when its frame arrived; null for another node's. */
  readonly receivedAt: number | null
}

/** What a {@link RoomRelay} needs from its room. */
export interface RoomRelayHooks {
  /** Runs a relay's callback as one of the room's guarded entry points. */
  readonly guard: (where: string, run: () => void) => void
  /** Whether the room is closed (nothing goes out any more). */
  readonly isClosed: () => boolean
  /** Told, for each client update relayed, the seconds from its frame arriving to its relay. */
  readonly observeRelayDelay?: (seconds: number) => void
}

/** Sends a room's committed updates and presence to its connections, framed once for all. */
export class RoomRelay {
  private toRelay: PendingRelay[] = []
  // Set by a large room's first relay of an event-loop turn, cleared as the turn ends (see relay).
  private relayedThisTurn = false

  /**
   * @param connections - the room's connections (read at each send)
   * @param hooks - the room's guard, its closed state and the relay-delay metric
   */
  constructor(
    private readonly connections: ReadonlySet<Connection>,
    private readonly hooks: RoomRelayHooks,
  ) {}

  /**
   * Queues a committed (or another node's) update for the room's connections. Updates that become
   * ready together (one committed batch settles in one microtask checkpoint) go out as one merged
   * frame: in a busy room that is one send per connection per batch instead of one per update.
   *
   * In a large room (at least {@link MERGE_LATE_RELAYS_FROM_CONNECTIONS} connections) the first
   * relay of an event-loop turn goes out at once; updates that become ready later in the same turn
   * (other sockets read in it) wait for the turn's end and go out together, as Hocuspocus relays
   * every room. There each relay is dozens of socket writes: in a room of 100, several updates read
   * in one busy turn would otherwise cost 99 writes each. A quiet room, where a turn reads one
   * update, relays as soon as it is committed.
   */
  relay(pending: PendingRelay): void {
    this.toRelay.push(pending)
    if (this.toRelay.length > 1) return
    const { guard } = this.hooks
    if (this.connections.size < MERGE_LATE_RELAYS_FROM_CONNECTIONS) {
      queueMicrotask(() => guard('relay', () => this.flush()))
    } else if (this.relayedThisTurn) {
      setImmediate(() => guard('relay', () => this.flush()))
    } else {
      queueMicrotask(() => guard('relay', () => this.flushFirstOfTurn()))
    }
  }

  /** Sends `frame` to every connection but `except`, framed on the first recipient. */
  broadcast(frame: Uint8Array, except: Connection | null): void {
    // A room of one has nobody to relay to: nothing is framed.
    let framed: FramedMessage | undefined
    for (const connection of this.connections) {
      if (connection === except) continue
      framed ??= frameBinaryMessage(frame)
      connection.sendFramed(framed)
    }
  }

  private flushFirstOfTurn(): void {
    this.flush()
    this.relayedThisTurn = true
    // Queued before any relay the turn defers (those wait for this flag), so it runs before them.
    setImmediate(() => {
      this.relayedThisTurn = false
    })
  }

  private flush(): void {
    const queued = this.toRelay
    this.toRelay = []
    const first = queued[0]
    if (!first || this.hooks.isClosed()) return
    if (queued.length === 1) {
      this.broadcast(writeUpdate(first.update), first.sender)
    } else {
      // A sender gets its own update back (a no-op for it) only when the merge carries others' too.
      const oneSender = queued.every((entry) => entry.sender === first.sender)
      const merged = Y.mergeUpdates(queued.map((entry) => entry.update))
      this.broadcast(writeUpdate(merged), oneSender ? first.sender : null)
    }
    const observe = this.hooks.observeRelayDelay
    if (!observe) return
    const relayedAt = performance.now()
    for (const entry of queued) {
      if (entry.receivedAt !== null) observe((relayedAt - entry.receivedAt) / 1000)
    }
  }
}
