import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness'
import * as Y from 'yjs'
import { Connection } from '../Connection.js'
import {
  type AwarenessEntry,
  readAwarenessEntries,
  writeAwarenessEntries,
} from '../protocol/awarenessEntries.js'
import { writeAwareness } from '../protocol/messages.js'
import { PresenceGate, type PresenceLimits } from './PresenceGate.js'

/** What a {@link RoomPresence} needs from its room. */
export interface RoomPresenceHooks {
  /** Runs a presence callback as one of the room's guarded entry points. */
  readonly guard: (where: string, run: () => void) => void
  /** Sends a presence frame to the room's connections but `except`. */
  readonly broadcast: (frame: Uint8Array, except: Connection | null) => void
  /** Hands a change made on this node to the other nodes. */
  readonly publish: (update: Uint8Array) => void
}

// The origin of, and the owner of states set by, changes from other nodes.
const REMOTE = { remote: true }

interface AwarenessChange {
  readonly added: number[]
  readonly updated: number[]
  readonly removed: number[]
}

/**
 * A room's presence (cursors, names, selections): the y-protocols awareness, what each connection
 * may put into it (see {@link PresenceGate}), and its relay to this node's connections and the others.
 */
export class RoomPresence {
  private readonly awareness: Awareness
  private readonly gate: PresenceGate
  private closed = false

  /**
   * @param limits - what one connection may put into presence
   * @param hooks - the room's guard, broadcast and cross-node publish
   */
  constructor(
    limits: PresenceLimits,
    private readonly hooks: RoomPresenceHooks,
  ) {
    // Awareness only needs a client id from its doc; a tiny doc of its own outlives hibernation.
    this.awareness = new Awareness(new Y.Doc())
    this.awareness.setLocalState(null)
    this.gate = new PresenceGate(limits)
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) =>
      hooks.guard('presence', () => this.changed(change, origin)),
    )
  }

  /**
   * Applies what a connection says of presence: entries for ids another holds are dropped, the
   * rest checked and counted against its presence rate. Throws a `SyncError` on a broken limit.
   */
  receive(connection: Connection, entries: readonly AwarenessEntry[]): void {
    const admitted = this.gate.admit(connection, undefined, entries)
    if (admitted.length === 0) return
    connection.takePresenceToken()
    applyAwarenessUpdate(this.awareness, writeAwarenessEntries(admitted), connection)
  }

  /**
   * Applies an awareness update another node published, but for the ids a connection of this node
   * holds: a link holder on another node must not take over a participant connected here.
   */
  receiveRemote(update: Uint8Array): void {
    let entries: AwarenessEntry[]
    try {
      entries = readAwarenessEntries(update)
    } catch {
      return
    }
    const admitted = entries.filter(
      (entry) => !(this.gate.ownerOf(entry.clientId) instanceof Connection),
    )
    if (admitted.length === 0) return
    applyAwarenessUpdate(
      this.awareness,
      admitted.length === entries.length ? update : writeAwarenessEntries(admitted),
      REMOTE,
    )
  }

  /** Removes the presence a connection set (it left). */
  leave(connection: Connection): void {
    const held = this.gate.heldBy(connection)
    if (held.size === 0) return
    removeAwarenessStates(this.awareness, [...held], null)
  }

  /** Everyone's presence in one awareness frame; null when nobody shows any. */
  frameOfAll(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()]
    return ids.length === 0 ? null : writeAwareness(encodeAwarenessUpdate(this.awareness, ids))
  }

  /** Frees the awareness and its timer. */
  destroy(): void {
    // Destroying clears the awareness's own state, which must not go out as a change.
    this.closed = true
    this.awareness.destroy()
    this.awareness.doc.destroy()
  }

  private changed(change: AwarenessChange, origin: unknown): void {
    if (this.closed) return
    const changed = [...change.added, ...change.updated, ...change.removed]
    const setBy = origin instanceof Connection ? origin : REMOTE
    const set = [...change.added, ...change.updated]
    this.gate.set(setBy, set)
    // Removed by its owner, by the server as the owner left, or as outdated.
    this.gate.removed(change.removed)
    const update = encodeAwarenessUpdate(this.awareness, changed)
    this.hooks.broadcast(writeAwareness(update), origin instanceof Connection ? origin : null)
    if (origin !== REMOTE) this.hooks.publish(update)
  }
}
