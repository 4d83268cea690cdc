import type { Logger } from 'pino'
import type { AppendBatcher } from './AppendBatcher.js'
import type { RoomLimits } from './budget/RoomBudget.js'
import type { Fanout } from './fanout/fanout.js'
import type { SyncMetrics } from './metrics.js'
import type { PresenceLimits } from './presence/PresenceGate.js'
import { Room } from './Room.js'
import type { RoomStorage } from './storage/storage.js'

// Rooms whose load failure is remembered for /readyz; the oldest is forgotten first.
const MAX_LOAD_FAILURES_KEPT = 1000

/** Settings of a {@link RoomRegistry}. */
export interface RoomRegistryOptions {
  readonly storage: RoomStorage
  readonly batcher: AppendBatcher
  readonly fanout: Fanout
  readonly metrics: SyncMetrics
  readonly log: Logger
  /** Fold a room's log into a snapshot after this many updates. */
  readonly compactAfter: number
  /** How long a room with no connections stays in memory. */
  readonly idleMs: number
  /** How long a room without edits keeps a live Y.Doc. */
  readonly hibernateAfterMs: number
  /** What one connection may put into a room's presence. */
  readonly presence: PresenceLimits
  /** How large a board may grow. */
  readonly limits: RoomLimits
  /**
   * With storage shared by several nodes: how often to compare every loaded room with storage and
   * catch up the rooms that are behind (a fan-out message lost at the end of a burst leaves no later
   * message to reveal the gap). 0 turns the check off (one node on SQLite).
   */
  readonly catchUpIntervalMs?: number
}

/**
 * The rooms held in memory: loads a room on first use and unloads it a grace period after its last
 * connection left (flushing and compacting first), so memory stays bounded by active rooms.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>()
  private readonly idleTimers = new Map<Room, NodeJS.Timeout>()
  // Rooms whose last load failed, with when: what /readyz reports.
  private readonly loadFailures = new Map<string, number>()

  private readonly catchUpTimer: NodeJS.Timeout | undefined
  private checking = false

  /** @param options - storage, batching, fan-out, metrics and timing */
  constructor(private readonly options: RoomRegistryOptions) {
    const interval = options.catchUpIntervalMs ?? 0
    if (interval > 0) {
      this.catchUpTimer = setInterval(() => void this.catchUpWithStorage(), interval)
      this.catchUpTimer.unref()
    }
  }

  /** Catches up every loaded room that storage shows to be behind; one query for all rooms. */
  private async catchUpWithStorage(): Promise<void> {
    if (this.checking || this.rooms.size === 0) return
    this.checking = true
    try {
      const rooms = [...this.rooms.values()]
      // Read before the query: what a room applies while it runs may be committed after its snapshot.
      const appliedBefore = new Map(rooms.map((room) => [room, room.appliedSeq]))
      const stored = await this.options.storage.lastSeqs(rooms.map((room) => room.name))
      for (const room of rooms) {
        const storedSeq = stored.get(room.name) ?? 0
        const applied = appliedBefore.get(room) ?? 0
        if (room.isBehind(storedSeq)) {
          this.options.metrics.catchUps.inc({ reason: 'periodic' })
          void room.catchUp()
        } else if (storedSeq < applied) {
          void room.resync(
            `storage's last update is ${storedSeq}, but the room had applied ${applied}`,
          )
        }
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'comparing rooms with storage failed')
    } finally {
      this.checking = false
    }
  }

  /** The room named `name`, loading it if needed; cancels a pending unload. */
  acquire(name: string): Room {
    let room = this.rooms.get(name)
    if (room) {
      this.cancelUnload(room)
      room.closing = false
      return room
    }
    room = new Room(name, {
      storage: this.options.storage,
      batcher: this.options.batcher,
      fanout: this.options.fanout,
      log: this.options.log,
      compactAfter: this.options.compactAfter,
      hibernateAfterMs: this.options.hibernateAfterMs,
      presence: this.options.presence,
      limits: this.options.limits,
      onIncompleteLoad: () => this.options.metrics.storageDamage.inc({ where: 'board' }),
      onHibernation: (asleep) => this.options.metrics.roomsHibernated.inc(asleep ? 1 : -1),
      onInternalError: (where) => this.options.metrics.roomErrors.inc({ where }),
      onFailure: (failed) => this.forget(failed),
      onGapCatchUp: () => this.options.metrics.catchUps.inc({ reason: 'gap' }),
      onStorageWentBack: () => this.options.metrics.storageWentBack.inc(),
      observeRelayDelay: (seconds) => this.options.metrics.relayDelaySeconds.observe(seconds),
    })
    this.rooms.set(name, room)
    this.options.metrics.roomsLoaded.set(this.rooms.size)
    room.ready.then(
      () => this.loadFailures.delete(name),
      () => {},
    )
    room.ready.catch((error: unknown) => {
      this.options.metrics.roomLoadFailures.inc()
      this.loadFailures.delete(name)
      this.loadFailures.set(name, Date.now())
      if (this.loadFailures.size > MAX_LOAD_FAILURES_KEPT) {
        const oldest = this.loadFailures.keys().next().value
        if (oldest !== undefined) this.loadFailures.delete(oldest)
      }
      this.options.log.error(
        { room: name, err: error, code: 'room-load-failed' },
        'loading the room failed: its connections are closed with 1011',
      )
      this.forget(room)
    })
    return room
  }

  /** How many rooms failed to load (and have not loaded since) within the last `withinMs`. */
  recentLoadFailures(withinMs: number): number {
    const since = Date.now() - withinMs
    let count = 0
    for (const at of this.loadFailures.values()) if (at >= since) count++
    return count
  }

  /** The loaded room named `name`, if any. */
  get(name: string): Room | undefined {
    return this.rooms.get(name)
  }

  /** To call after a connection left `room`: schedules its unload once it is empty. */
  released(room: Room): void {
    if (room.connections.size > 0 || this.idleTimers.has(room)) return
    const timer = setTimeout(() => {
      this.idleTimers.delete(room)
      this.unload(room).catch((error: unknown) => {
        this.options.metrics.roomErrors.inc({ where: 'unload' })
        this.options.log.error({ room: room.name, err: error }, 'unloading the room failed')
      })
    }, this.options.idleMs)
    timer.unref()
    this.idleTimers.set(room, timer)
  }

  /** Flushes, compacts and frees `room` unless a connection joined meanwhile. */
  async unload(room: Room): Promise<void> {
    room.closing = true
    try {
      await room.ready
      await this.options.batcher.flush()
      await room.compact()
    } catch (error) {
      this.options.log.error({ room: room.name, err: error }, 'flush before unloading failed')
    }
    if (!room.closing || room.connections.size > 0) return
    this.forget(room)
    room.destroy()
    this.options.log.debug({ room: room.name }, 'unloaded idle room')
  }

  /** Unloads every room (at shutdown), closing their connections with `code`. */
  async closeAll(code: number, reason: string): Promise<void> {
    clearInterval(this.catchUpTimer)
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) connection.close(code, reason)
    }
    await this.options.batcher.flush().catch(() => {})
    for (const room of [...this.rooms.values()]) {
      await room.ready.then(
        () => room.compact(),
        () => {},
      )
      this.forget(room)
      room.destroy(code, reason)
    }
  }

  private cancelUnload(room: Room): void {
    const timer = this.idleTimers.get(room)
    if (timer) clearTimeout(timer)
    this.idleTimers.delete(room)
  }

  private forget(room: Room): void {
    this.cancelUnload(room)
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name)
    this.options.metrics.roomsLoaded.set(this.rooms.size)
  }
}
