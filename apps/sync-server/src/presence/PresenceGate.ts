import { CloseCodes } from '../closeCodes.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../content/jsonDepth.js'
import type { AwarenessEntry } from '../protocol/awarenessEntries.js'
import { SyncError } from '../SyncError.js'

/** Bounds on what one connection may put into a room's presence. */
export interface PresenceLimits {
  /** Largest presence state, in bytes of its JSON text. */
  readonly maxStateBytes: number
  /** Presence client ids one connection may hold (a browser tab holds one). */
  readonly maxClientsPerConnection: number
}

/** Whoever set a client id's presence: a connection of this node, or another node. */
export type PresenceOwner = object

// How many times its limit of participants one connection may claim over its life (a tab that
// reloads gets a new connection; one connection showing ever new ids is not a browser).
const LIFETIME_CLAIMS_PER_LIMIT = 4
// Bounds the record of one owner's claims (another node's, which are not limited here, included).
const MAX_REMEMBERED_CLAIMS = 10_000

const NONE: ReadonlySet<number> = new Set()

function refused(detail: string): SyncError {
  return new SyncError('refused-presence', `presence refused: ${detail}`, CloseCodes.badRequest)
}

/**
 * Decides which entries of a connection's awareness frame may reach the room. A client id belongs
 * to whoever set it first until its state is removed: entries for ids held by another connection
 * or node are dropped without a word, since the stock client echoes every state it receives back
 * to the server (and a spoof would overwrite someone else's cursor). Entries the connection may
 * set are checked against the limits; breaking one throws a {@link SyncError}.
 */
export class PresenceGate {
  private readonly owners = new Map<number, PresenceOwner>()
  // The same, by owner: the ids each holds now.
  private readonly held = new WeakMap<PresenceOwner, Set<number>>()
  // The distinct ids each owner ever claimed: the awareness keeps a record of every id it saw for
  // the room's life, so churning through new ids must be bounded too, not only the ids held at once.
  private readonly claimedEver = new WeakMap<PresenceOwner, Set<number>>()

  /** @param limits - size and count bounds */
  constructor(private readonly limits: PresenceLimits) {}

  /**
   * The entries `owner` may apply, in order.
   * @param held - the client ids `owner` holds now (by default, as the gate recorded them)
   */
  admit(
    owner: PresenceOwner,
    held: ReadonlySet<number> = this.heldBy(owner),
    entries: readonly AwarenessEntry[] = [],
  ): AwarenessEntry[] {
    const admitted: AwarenessEntry[] = []
    const claimed = new Set<number>()
    for (const entry of entries) {
      const current = this.owners.get(entry.clientId)
      if (current !== undefined && current !== owner) continue
      if (current === undefined) {
        // Removing a state nobody holds changes nothing.
        if (entry.state === null) continue
        if (!held.has(entry.clientId)) claimed.add(entry.clientId)
        if (held.size + claimed.size > this.limits.maxClientsPerConnection) {
          throw refused(
            `one connection may show at most ${this.limits.maxClientsPerConnection} participants`,
          )
        }
        const ever = this.claimedEver.get(owner)
        const fresh = ever?.has(entry.clientId) ? 0 : 1
        if (
          (ever?.size ?? 0) + fresh >
          LIFETIME_CLAIMS_PER_LIMIT * this.limits.maxClientsPerConnection
        ) {
          throw refused('one connection may not keep showing new participants')
        }
      }
      const bytes = Buffer.byteLength(entry.json)
      if (bytes > this.limits.maxStateBytes) {
        throw refused(
          `a state of ${bytes} bytes is over the ${this.limits.maxStateBytes}-byte limit`,
        )
      }
      if (nestsDeeperThan(entry.state, MAX_JSON_DEPTH)) {
        throw refused(`a state is nested more than ${MAX_JSON_DEPTH} levels deep`)
      }
      admitted.push(entry)
    }
    return admitted
  }

  /** Records that `owner` set these client ids' states (they were applied). */
  set(owner: PresenceOwner, clientIds: readonly number[]): void {
    let ever = this.claimedEver.get(owner)
    if (!ever) {
      ever = new Set()
      this.claimedEver.set(owner, ever)
    }
    let holds = this.held.get(owner)
    if (!holds) {
      holds = new Set()
      this.held.set(owner, holds)
    }
    for (const id of clientIds) {
      const previous = this.owners.get(id)
      if (previous !== undefined && previous !== owner) this.held.get(previous)?.delete(id)
      this.owners.set(id, owner)
      holds.add(id)
      if (ever.size < MAX_REMEMBERED_CLAIMS) ever.add(id)
    }
  }

  /** The client ids `owner` holds now. */
  heldBy(owner: PresenceOwner): ReadonlySet<number> {
    return this.held.get(owner) ?? NONE
  }

  /** Who holds `clientId`'s presence, if anyone. */
  ownerOf(clientId: number): PresenceOwner | undefined {
    return this.owners.get(clientId)
  }

  /** Records that these client ids' states were removed; returns who held each. */
  removed(clientIds: readonly number[]): Map<number, PresenceOwner> {
    const previous = new Map<number, PresenceOwner>()
    for (const id of clientIds) {
      const owner = this.owners.get(id)
      if (owner === undefined) continue
      previous.set(id, owner)
      this.owners.delete(id)
      this.held.get(owner)?.delete(id)
    }
    return previous
  }
}
