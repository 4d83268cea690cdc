import { checkBoardMeta, FORMAT_VERSION_KEY, getMetaMap, SCHEMA_KEY } from '@chainmap/board'
import type { Logger } from 'pino'
import * as Y from 'yjs'
import type { AppendBatcher } from './AppendBatcher.js'
import { countItems, RoomBudget, type RoomLimits } from './budget/RoomBudget.js'
import type { Connection } from './Connection.js'
import { CloseCodes } from './closeCodes.js'
import { MAX_JSON_DEPTH } from './content/jsonDepth.js'
import type { Fanout, FanoutEvent } from './fanout/fanout.js'
import type { PresenceLimits } from './presence/PresenceGate.js'
import { RoomPresence } from './presence/RoomPresence.js'
import {
  type ProtocolMessage,
  writeAwareness,
  writePermissionDenied,
  writeSyncStep1,
  writeSyncStep2,
} from './protocol/messages.js'
import { RoomRelay } from './relay/RoomRelay.js'
import { SeqTracker } from './SeqTracker.js'
import { SyncError } from './SyncError.js'
import type { RoomStorage } from './storage/storage.js'

/** What a {@link Room} needs from the server around it. */
export interface RoomDeps {
  readonly storage: RoomStorage
  readonly batcher: AppendBatcher
  readonly fanout: Fanout
  readonly log: Logger
  /** Fold the log into a snapshot after this many appended updates. */
  readonly compactAfter: number
  /** Keep the board as compact bytes instead of a live Y.Doc after this long without edits. */
  readonly hibernateAfterMs: number
  /** Told each time a gap in the sequence numbers makes the room catch up from storage. */
  readonly onGapCatchUp?: () => void
  /** Told, for each client update relayed, the seconds from its frame arriving to its relay. */
  readonly observeRelayDelay?: (seconds: number) => void
  /** Told each time this room finds that storage lost commits it had applied (see {@link Room.resync}). */
  readonly onStorageWentBack?: () => void
  /** Called once when the room cannot go on (storage failed, or it reloads); the server forgets it. */
  readonly onFailure: (room: Room) => void
  /** What one connection may put into the room's presence. */
  readonly presence: PresenceLimits
  /** How large the board may grow. */
  readonly limits: RoomLimits
  /** Told when a board loads with edits missing from storage (its log has a hole). */
  readonly onIncompleteLoad?: () => void
  /** Told when the room falls asleep (its doc kept as bytes) and when it wakes or goes. */
  readonly onHibernation?: (asleep: boolean) => void
  /** Told each time an error escaped one of the room's entry points (`where`) and failed the room. */
  readonly onInternalError?: (where: string) => void
}

/** A frame that arrived before its room was loaded, with when it arrived. */
interface WaitingFrame {
  readonly message: ProtocolMessage
  readonly receivedAt: number
}

/** Frames one connection may send before its room is loaded. */
export const MAX_FRAMES_BEFORE_LOAD = 1000

/** The reason a view-only connection is told its edits are dropped. */
export const VIEW_ONLY_REASON =
  'read-only: this connection may view the board; its edits are dropped'

/**
 * Where a room is in its life: `loading` its stored state (frames wait), `live`, or `closed`
 * (unloaded, failed or discarded: it will not serve again; the registry loads a new one).
 */
export type RoomPhase = 'loading' | 'live' | 'closed'

/**
 * Who a transaction on the room's doc comes from, passed to Yjs as its origin so that the update
 * handler knows what to do with the change: store and relay a client's, relay another node's or
 * storage's (noting that it changed the doc), or nothing for the stored state being loaded.
 */
type DocOrigin =
  | { readonly kind: 'client'; readonly connection: Connection; readonly receivedAt: number }
  | { readonly kind: 'remote'; changed: boolean }
  | { readonly kind: 'loading' }

const LOADING: DocOrigin = { kind: 'loading' }
// How long a hole in the sequence numbers may stay open before the room reads storage: long enough
// for an older update still in flight from another node to arrive by itself.
const GAP_GRACE_MS = 30
// An awareness update of nobody: the answer to a query when nobody shows presence.
const EMPTY_AWARENESS = new Uint8Array([0])
// How often, at most, a board near its limit is measured exactly before an edit is refused.
const BUDGET_REMEASURE_MS = 1000
// Updates applied per event-loop turn when reading back before a compaction (about 3 µs each).
const READ_BACK_SLICE = 100

/**
 * One board in memory: its Y.Doc, its awareness, its connections. An update from a connection is
 * applied (which validates it), appended to storage, and relayed to the others only after the
 * commit; a joining connection is synced only after the stored state is loaded.
 *
 * A live Y.Doc costs several times the board's encoded size (one object per property edit), so a
 * room without edits for `hibernateAfterMs` keeps its state as one encoded update instead: sync
 * answers are computed from the bytes, and the next edit brings the Y.Doc back.
 */
export class Room {
  /** The room's presence. */
  private readonly presence: RoomPresence
  /** Connections in this room. */
  readonly connections = new Set<Connection>()
  /** Resolves once the stored state is loaded; rejects if loading failed. */
  readonly ready: Promise<void>
  /** Set while the room is being unloaded; a join clears it. */
  closing = false
  private doc: Y.Doc | null = null
  private hibernated: Uint8Array | null = null
  private hibernateTimer: NodeJS.Timeout | undefined
  private uncommitted = 0
  private readonly seqs = new SeqTracker()
  private phase: RoomPhase = 'loading'
  // Set by the first destroy: an unload after a failed load must not free twice.
  private destroyedOnce = false
  private gapTimer: NodeJS.Timeout | undefined
  private catchingUp: Promise<void> | null = null
  private catchUpAgain = false
  private sinceCompaction = 0
  // Storage's count of disruptions when the room last knew its numbering matched (holdsStoredThrough).
  private verifiedDisruptions: number | undefined
  private compacting = false
  private writingBack: Promise<void> | null = null
  private unsubscribe: (() => void) | undefined
  private readonly relayer: RoomRelay
  private readonly budget: RoomBudget
  private budgetMeasuredAt = Number.NEGATIVE_INFINITY
  // Connections admitted before the room loaded, each with the frames it sent meanwhile.
  private readonly waiting = new Map<Connection, WaitingFrame[]>()

  /**
   * Starts loading the room's stored state.
   * @param name - the validated room name
   * @param deps - storage, batcher, fan-out and logger
   */
  constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
  ) {
    this.relayer = new RoomRelay(this.connections, {
      guard: (where, run) => this.guard(where, run),
      isClosed: () => this.isClosed,
      ...(deps.observeRelayDelay ? { observeRelayDelay: deps.observeRelayDelay } : {}),
    })
    this.budget = new RoomBudget(deps.limits)
    this.presence = new RoomPresence(deps.presence, {
      guard: (where, run) => this.guard(where, run),
      broadcast: (frame, except) => this.relayer.broadcast(frame, except),
      publish: (update) => this.deps.fanout.publish(this.name, { kind: 'awareness', update }),
    })
    this.ready = this.load()
    this.ready.then(
      () => this.guard('join', () => this.admitWaiting()),
      () =>
        this.guard('load', () => {
          this.refuseWaiting()
          this.destroy(CloseCodes.internalError, 'the board could not be loaded')
        }),
    )
  }

  /** Whether the room is loaded and serving (not loading, not closed). */
  get live(): boolean {
    return this.phase === 'live'
  }

  // A getter, not the field: TypeScript would keep a narrowed phase across an await.
  private get isClosed(): boolean {
    return this.phase === 'closed'
  }

  /**
   * Runs one entry point of the room (a timer, a promise callback, an event handler). What it
   * throws is a server bug or state the room cannot go on with: it fails this room, which
   * reloads from storage when its clients reconnect, and never reaches the process.
   */
  private guard(where: string, run: () => void): void {
    try {
      run()
    } catch (error) {
      this.crash(where, error)
    }
  }

  private crash(where: string, error: unknown): void {
    this.deps.onInternalError?.(where)
    this.deps.log.error(
      { room: this.name, where, err: error, code: 'room-failed' },
      'internal error in the room: discarding its live state; it reloads from storage',
    )
    this.discard('internal error: reconnect to load the board again')
  }

  /**
   * Drops the room's live state without storing it (everything committed is in storage) and
   * closes its connections with 1012: the clients reconnect to the room loaded afresh and send
   * back whatever they hold that storage lacks.
   */
  private discard(reason: string): void {
    if (this.isClosed) return
    try {
      this.deps.onFailure(this)
      this.destroy(CloseCodes.serviceRestart, reason)
    } catch (error) {
      this.deps.log.error({ room: this.name, err: error }, 'closing a failed room failed')
    }
  }

  /**
   * Takes in a connection: it joins at once when the room is loaded, or when loading ends, with
   * the frames it sent meanwhile handled in order; if loading fails it is closed with 1011.
   */
  admit(connection: Connection): void {
    if (this.phase === 'live') {
      this.guard('join', () => this.join(connection))
      return
    }
    if (this.isClosed) {
      connection.close(CloseCodes.serviceRestart, 'room closed: reconnect')
      return
    }
    this.waiting.set(connection, [])
  }

  /**
   * Handles one decoded frame from an admitted connection, or keeps it until the room is loaded;
   * throws a {@link SyncError} when the frame breaks the protocol or a limit.
   * @param receivedAt - `performance.now()` when the frame arrived, for the relay-delay metric
   */
  receive(connection: Connection, message: ProtocolMessage, receivedAt: number): void {
    const queue = this.waiting.get(connection)
    if (!queue) {
      this.handle(connection, message, receivedAt)
      return
    }
    if (queue.length >= MAX_FRAMES_BEFORE_LOAD) {
      throw new SyncError(
        'rate-limited',
        `more than ${MAX_FRAMES_BEFORE_LOAD} frames before the room loaded`,
        CloseCodes.rateLimited,
      )
    }
    queue.push({ message, receivedAt })
  }

  private admitWaiting(): void {
    for (const [connection, frames] of this.waiting) {
      this.waiting.delete(connection)
      if (!connection.open || this.phase !== 'live') continue
      this.join(connection)
      for (const { message, receivedAt } of frames) {
        if (!connection.open || this.phase !== 'live') break
        try {
          this.handle(connection, message, receivedAt)
        } catch (error) {
          connection.reject(error)
        }
      }
    }
  }

  private refuseWaiting(): void {
    for (const connection of this.waiting.keys()) {
      connection.close(CloseCodes.internalError, 'the board could not be loaded')
    }
    this.waiting.clear()
  }

  private async load(): Promise<void> {
    // Read first: a disruption while loading must count as one after it.
    this.verifiedDisruptions = this.deps.storage.disruptions
    const stored = await this.deps.storage.load(this.name)
    let storedBytes = stored.snapshot?.byteLength ?? 0
    for (const update of stored.updates) storedBytes += update.byteLength
    // Before applying: a board stored under a larger limit could stall the node while it loads.
    this.budget.checkStored(storedBytes)
    this.applyStored(stored.snapshot, stored.updates)
    const store = this.doc?.store
    if (store && (store.pendingStructs !== null || store.pendingDs !== null)) {
      this.deps.onIncompleteLoad?.()
      this.deps.log.error(
        { room: this.name, code: 'storage-damaged' },
        "the board's stored edits refer to edits storage does not hold (damaged or lost): serving what is there; its clients send back what they still have",
      )
    }
    // The stored bytes err high (the log repeats what later edits replace); an edit the count
    // would refuse measures the board exactly first (checkBudget), so loading encodes nothing.
    this.budget.measured(storedBytes, this.doc ? countItems(this.doc) : 0)
    this.scheduleHibernation()
    this.seqs.caughtUp(stored.seq)
    this.sinceCompaction = stored.updates.length
    // Closed while loading (the server stopping): nothing to subscribe to.
    if (this.phase !== 'loading') return
    this.phase = 'live'
    this.subscribeFanout()
  }

  // Kept apart from `load`: a closure created there would share its scope and keep the first Y.Doc
  // alive after hibernation.
  private applyStored(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): void {
    const doc = this.wake()
    doc.transact(() => {
      if (snapshot) Y.applyUpdate(doc, snapshot, LOADING)
      for (const update of updates) Y.applyUpdate(doc, update, LOADING)
    }, LOADING)
  }

  private subscribeFanout(): void {
    this.unsubscribe = this.deps.fanout.subscribe(this.name, (event) =>
      this.guard('fan-out', () => this.onRemote(event)),
    )
  }

  /** Adds a connection to the loaded room and sends it the server's sync step 1 and presence. */
  join(connection: Connection): void {
    this.closing = false
    this.connections.add(connection)
    connection.send(
      writeSyncStep1(
        this.doc
          ? Y.encodeStateVector(this.doc)
          : Y.encodeStateVectorFromUpdate(this.encodeState()),
      ),
    )
    const presence = this.presence.frameOfAll()
    if (presence) connection.send(presence)
    if (connection.info.role === 'view') connection.send(writePermissionDenied(VIEW_ONLY_REASON))
  }

  /** Removes a connection and its presence. */
  leave(connection: Connection): void {
    this.waiting.delete(connection)
    if (!this.connections.delete(connection)) return
    this.presence.leave(connection)
  }

  /**
   * Handles one decoded frame from `connection`; throws a {@link SyncError} on a protocol violation.
   * @param receivedAt - `performance.now()` when the frame arrived, for the relay-delay metric
   */
  handle(connection: Connection, message: ProtocolMessage, receivedAt = performance.now()): void {
    switch (message.type) {
      case 'syncStep1':
        this.answerStep1(connection, message.stateVector)
        return
      case 'syncStep2':
      case 'update':
        this.applyClientUpdate(connection, message.update, message.items, receivedAt)
        return
      case 'awareness':
        this.presence.receive(connection, message.entries)
        return
      case 'queryAwareness':
        // Each answer encodes everyone's presence: counted like a presence change.
        connection.takePresenceToken()
        connection.send(this.presence.frameOfAll() ?? writeAwareness(EMPTY_AWARENESS))
        return
      case 'permissionDenied':
        throw new SyncError(
          'unknown-message-type',
          'auth frames are sent by the server only',
          CloseCodes.badRequest,
        )
      default:
        unreachable(message)
    }
  }

  /** The room's whole state as one Yjs update. */
  encodeState(): Uint8Array {
    if (this.doc) return Y.encodeStateAsUpdate(this.doc)
    return this.hibernated ?? Y.encodeStateAsUpdate(new Y.Doc())
  }

  private wake(): Y.Doc {
    if (this.doc) return this.doc
    const doc = new Y.Doc()
    // Typed before any update: a root type an update creates is generic, and the first getMap()
    // replaces it with a new instance, which the transaction's record of changes would not name
    // (the board-format check would see no change to `meta`).
    getMetaMap(doc)
    if (this.hibernated) {
      Y.applyUpdate(doc, this.hibernated, LOADING)
      this.hibernated = null
      this.deps.onHibernation?.(false)
    }
    // Every transaction on the doc is given a DocOrigin.
    doc.on('update', (update: Uint8Array, origin: DocOrigin, _doc: Y.Doc, tr: Y.Transaction) =>
      this.onDocUpdate(update, origin, tr),
    )
    this.doc = doc
    return doc
  }

  /** Restarts the quiet-room countdown; one timer per room, re-armed on every update. */
  private scheduleHibernation(): void {
    if (this.hibernateTimer) {
      this.hibernateTimer.refresh()
      return
    }
    this.hibernateTimer = setTimeout(
      () => this.guard('hibernate', () => this.hibernate()),
      this.deps.hibernateAfterMs,
    )
    this.hibernateTimer.unref()
  }

  private hibernate(): void {
    if (!this.doc || this.isClosed) return
    if (this.uncommitted > 0 || this.compacting) {
      this.scheduleHibernation()
      return
    }
    // Lossless: the encoding includes structs still waiting for missing dependencies.
    this.hibernated = Y.encodeStateAsUpdate(this.doc)
    this.budget.measured(this.hibernated.byteLength, countItems(this.doc))
    this.doc.destroy()
    this.doc = null
    this.deps.onHibernation?.(true)
  }

  /** Folds the update log into a snapshot if anything was appended since the last one. */
  async compact(): Promise<void> {
    // A closed room's state is empty: compacting it would overwrite the stored snapshot.
    if (this.compacting || this.isClosed || this.sinceCompaction === 0) return
    // A room writing its state back is about to go: folding now could only race that.
    if (this.writingBack) return
    this.compacting = true
    // Only what the doc is known to hold without holes: another node's update may still be missing.
    const throughSeq = this.seqs.applied
    const folded = this.sinceCompaction
    try {
      // Folding deletes the log through `throughSeq`: first make sure the doc holds all of it.
      if (!(await this.holdsStoredThrough(throughSeq))) return
      const state = this.encodeState()
      await this.deps.storage.compact(this.name, state, throughSeq, {
        unlessDisruptedSince: this.verifiedDisruptions,
      })
      if (this.doc) this.budget.measured(state.byteLength, countItems(this.doc))
      this.sinceCompaction -= folded
      this.deps.log.debug({ room: this.name, throughSeq }, 'compacted')
    } catch (error) {
      if (error instanceof SyncError && error.code === 'storage-went-back') {
        await this.resync(error.message)
      } else if (error instanceof SyncError && error.code === 'storage-disrupted') {
        // Nothing folded; the next compaction reads back first.
        this.deps.log.warn({ room: this.name, detail: error.message }, 'compaction postponed')
      } else {
        this.deps.log.error({ room: this.name, err: error }, 'compaction failed; the log is kept')
      }
    } finally {
      this.compacting = false
    }
  }

  /**
   * After a disruption of shared storage (a failover fails queries, drops connections or puts
   * another server behind the same address), reads back the room's stored snapshot and updates
   * through `throughSeq` and applies them. The doc should hold every update numbered up to
   * `throughSeq` already; one new to it means storage handed those numbers out again after losing
   * commits, in a way no other check caught (other nodes' appends took the lost numbers before the
   * periodic check ran, and their fan-out messages never came): the room then resyncs instead of
   * folding away updates it never had. The snapshot is merged but proves nothing: another node may
   * have folded edits into it that this room has not seen yet. Relies on storage numbering without
   * holes, so that the updates after the snapshot are numbered one by one. Without a disruption
   * there is nothing to read: numbers are only handed out again by a store that lost commits.
   * @returns whether the compaction may go on
   */
  private async holdsStoredThrough(throughSeq: number): Promise<boolean> {
    const disruptions = this.deps.storage.disruptions
    if (disruptions === this.verifiedDisruptions) return true
    // From the snapshot: the room's own last compaction may be among the commits lost.
    const stored = await this.deps.storage.readSince(this.name, 0)
    if (this.isClosed) return false
    // Reading back wakes a hibernated doc: let it fall asleep again.
    this.scheduleHibernation()
    if (stored.snapshot) this.applyRemote([stored.snapshot])
    if (this.isClosed) return false
    // The number of the update just before stored.updates[0] (the snapshot's).
    const before = stored.seq - stored.updates.length
    const parts: Uint8Array[] = []
    for (const [i, update] of stored.updates.entries()) {
      if (before + 1 + i > throughSeq) break
      parts.push(update)
    }
    // In slices, so that a thousand updates do not hold up the relay for milliseconds at a time.
    for (let start = 0; start < parts.length; start += READ_BACK_SLICE) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve))
      if (this.isClosed) return false
      if (this.applyRemote(parts.slice(start, start + READ_BACK_SLICE))) {
        await this.resync(
          `storage's updates up to ${throughSeq}, read back before compacting, held edits new to the room`,
        )
        return false
      }
    }
    this.verifiedDisruptions = disruptions
    return true
  }

  /** Closes every connection with `code` and frees the room's memory. */
  destroy(code: number = CloseCodes.serviceRestart, reason = 'room closed'): void {
    if (this.destroyedOnce) return
    this.destroyedOnce = true
    this.phase = 'closed'
    for (const connection of this.waiting.keys()) connection.close(code, reason)
    this.waiting.clear()
    clearTimeout(this.hibernateTimer)
    this.hibernateTimer = undefined
    clearTimeout(this.gapTimer)
    this.unsubscribe?.()
    this.unsubscribe = undefined
    for (const connection of this.connections) connection.close(code, reason)
    this.connections.clear()
    this.presence.destroy()
    this.doc?.destroy()
    this.doc = null
    if (this.hibernated) this.deps.onHibernation?.(false)
    this.hibernated = null
  }

  private answerStep1(connection: Connection, stateVector: Uint8Array): void {
    const reply = () => {
      if (this.isClosed) return
      const update = this.doc
        ? Y.encodeStateAsUpdate(this.doc, stateVector)
        : Y.diffUpdate(this.encodeState(), stateVector)
      connection.sendSyncAnswer(writeSyncStep2(update))
    }
    // The doc may hold updates whose commit is still pending: never hand those out before commit.
    if (this.deps.batcher.idle) reply()
    else
      this.deps.batcher.flush().then(
        () => this.guard('sync-answer', reply),
        () => {},
      )
  }

  private applyClientUpdate(
    connection: Connection,
    update: Uint8Array,
    items: number,
    receivedAt: number,
  ): void {
    if (connection.info.role === 'view') {
      connection.log.debug('dropped an update from a view-only connection')
      return
    }
    connection.takeUpdateToken()
    this.checkBudget(update.byteLength, items)
    const doc = this.wake()
    this.scheduleHibernation()
    try {
      Y.applyUpdate(doc, update, { kind: 'client', connection, receivedAt } satisfies DocOrigin)
    } catch (error) {
      // The doc may hold part of the update, or all of it when the update handler refused it:
      // nothing of it was stored or relayed, and the live doc is discarded with it.
      connection.reject(
        error instanceof SyncError
          ? error
          : new SyncError(
              'corrupt-update',
              `Yjs update could not be applied: ${(error as Error).message}`,
              CloseCodes.badRequest,
            ),
      )
      this.deps.log.warn(
        { room: this.name, conn: connection.info.id },
        'an update was refused after it reached the live doc: reloading the room from storage',
      )
      this.discard('the board is reloading: reconnect')
      return
    }
    this.budget.added(update.byteLength, 0)
    const store = doc.store
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      // Parts waiting for missing dependencies live only in memory until those arrive: keep the raw
      // update too, so a crash cannot lose what a late joiner may already have been sent.
      this.appendThen(update, () => {})
    }
  }

  private checkBudget(bytes: number, items: number): void {
    try {
      this.budget.check(bytes, items)
    } catch (error) {
      // The count errs high between measures: measure before refusing, at most once a second.
      if (performance.now() - this.budgetMeasuredAt < BUDGET_REMEASURE_MS) throw error
      this.measureBudget()
      this.budget.check(bytes, items)
    }
  }

  private measureBudget(): void {
    const doc = this.wake()
    this.budget.measured(Y.encodeStateAsUpdate(doc).byteLength, countItems(doc))
    this.budgetMeasuredAt = performance.now()
    // Waking a hibernated board to measure it must not keep it awake.
    this.scheduleHibernation()
  }

  private onDocUpdate(update: Uint8Array, origin: DocOrigin, transaction: Y.Transaction): void {
    switch (origin.kind) {
      case 'loading':
        return
      case 'remote':
        origin.changed = true
        this.relayer.relay({ update, sender: null, receivedAt: null })
        return
      case 'client': {
        refuseUnknownBoardFormat(transaction)
        refuseDeepTypes(transaction)
        // Splits count too: a deletion or an insert into an item adds items the update lacks.
        this.budget.checkItems(countItems(transaction.doc))
        const { connection: sender, receivedAt } = origin
        this.appendThen(update, (seq) => {
          this.relayer.relay({ update, sender, receivedAt })
          this.deps.fanout.publish(this.name, { kind: 'update', seq, update })
        })
        return
      }
      default:
        unreachable(origin)
    }
  }

  private appendThen(update: Uint8Array, afterCommit: (seq: number) => void): void {
    this.uncommitted++
    // Storage numbers an append above every number it handed out before; this room applied only
    // such numbers. (Read now: a catch-up may apply the append's own number before it settles.)
    const appliedBefore = this.seqs.applied
    this.deps.batcher.append(this.name, update).then(
      (seq) =>
        this.guard('commit', () => {
          this.uncommitted--
          if (seq <= appliedBefore) {
            void this.resync(
              `an append was numbered ${seq}, but the room had applied up to ${appliedBefore}`,
            )
          }
          this.committed(seq)
          afterCommit(seq)
        }),
      (error) =>
        this.guard('commit', () => {
          this.uncommitted--
          this.fail(error)
        }),
    )
  }

  private committed(seq: number): void {
    this.noteSeq(seq)
    this.sinceCompaction += 1
    if (this.sinceCompaction >= this.deps.compactAfter) {
      this.compact().catch((error: unknown) => this.crash('compact', error))
    }
  }

  private onRemote(event: FanoutEvent): void {
    if (event.kind === 'update') {
      // Another node checked it against the same limits; its items are counted at the next measure.
      this.budget.added(event.update.byteLength, 0)
      this.scheduleHibernation()
      const appliedBefore = this.seqs.applied
      const news = this.applyRemote([event.update])
      // The doc holds every stored update up to appliedBefore, so one numbered within that brings
      // nothing new, unless storage went back and handed the number out again.
      if (event.seq <= appliedBefore && news) {
        void this.resync(
          `another node's update numbered ${event.seq} was new to the room, which had applied up to ${appliedBefore}`,
        )
      }
      this.noteSeq(event.seq)
    } else {
      this.presence.receiveRemote(event.update)
    }
  }

  private noteSeq(seq: number): void {
    this.seqs.saw(seq)
    if (!this.seqs.hasGap || this.gapTimer) return
    this.gapTimer = setTimeout(
      () =>
        this.guard('gap', () => {
          this.gapTimer = undefined
          if (!this.seqs.hasGap) return
          this.deps.onGapCatchUp?.()
          void this.catchUp()
        }),
      GAP_GRACE_MS,
    )
    this.gapTimer.unref()
  }

  /**
   * Applies `updates` from storage or another node in one transaction; what they change is relayed
   * to this node's connections (see onDocUpdate). Returns whether anything was new to the doc.
   */
  private applyRemote(updates: readonly Uint8Array[]): boolean {
    const origin: DocOrigin = { kind: 'remote', changed: false }
    try {
      const doc = this.wake()
      doc.transact(() => {
        for (const update of updates) Y.applyUpdate(doc, update, origin)
      }, origin)
    } catch (error) {
      // Callers find the room closed.
      this.crash('apply-stored', error)
      return false
    }
    return origin.changed
  }

  /** The room holds every stored update up to this number (0 until it is loaded). */
  get appliedSeq(): number {
    return this.seqs.applied
  }

  /**
   * Storage lost commits this room had applied (a failover to a standby that lacked them, a
   * restored backup): the room's numbering no longer matches storage's, so catching up and
   * compacting would go wrong. Appends the room's whole state as one update (loading it skips what
   * storage already held), so nothing this node held is lost, then unloads the room and closes its
   * connections with 1012; the clients reconnect to a room loaded afresh and send what they hold
   * that it lacks.
   * @param detail - how it was found, for the log
   * @returns settles once the state is written back (or writing it failed and the room failed)
   */
  resync(detail: string): Promise<void> {
    if (this.writingBack) return this.writingBack
    if (this.isClosed) return Promise.resolve()
    this.deps.onStorageWentBack?.()
    this.deps.log.error(
      { room: this.name, code: 'storage-went-back', detail },
      'storage lost commits this room had applied: writing its whole state back and reloading it',
    )
    this.writingBack = this.deps.batcher.append(this.name, this.encodeState()).then(
      () => this.discard('storage went back: reconnect to sync again'),
      (error) => this.guard('write-back', () => this.fail(error)),
    )
    return this.writingBack
  }

  /** Whether storage holds updates (numbered up to `storedSeq`) that this room has not applied. */
  isBehind(storedSeq: number): boolean {
    return this.phase === 'live' && storedSeq > this.seqs.applied
  }

  /**
   * Reads from storage what this node missed (a fan-out message lost or still in flight), applies
   * it and relays the difference to this node's connections. One read at a time per room.
   */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true
      return this.catchingUp
    }
    this.catchingUp = this.readMissing().finally(() =>
      this.guard('catch-up', () => {
        this.catchingUp = null
        if (this.catchUpAgain) {
          this.catchUpAgain = false
          void this.catchUp()
        }
      }),
    )
    return this.catchingUp
  }

  private async readMissing(): Promise<void> {
    if (this.phase !== 'live') return
    try {
      const missing = await this.deps.storage.readSince(this.name, this.seqs.applied)
      if (this.isClosed) return
      if (missing.snapshot || missing.updates.length > 0) {
        this.scheduleHibernation()
        this.applyRemote(
          missing.snapshot ? [missing.snapshot, ...missing.updates] : missing.updates,
        )
      }
      this.seqs.caughtUp(missing.seq)
    } catch (error) {
      // Nothing is lost: the next gap or the periodic check tries again.
      this.deps.log.warn({ room: this.name, err: error }, 'catching up from storage failed')
    }
  }

  private fail(error: unknown): void {
    if (this.isClosed) return
    this.deps.log.error(
      { room: this.name, err: error },
      'storage failed: closing the room so that nothing uncommitted is relayed',
    )
    this.deps.onFailure(this)
    this.destroy(CloseCodes.internalError, 'storage failure')
  }
}

/**
 * Refuses an update from a client that declares a board format, a record type or a version of
 * one that this server does not know: every client would then show the board read-only, for good.
 * The board's schema (`@chainmap/board`) is the web app's, so the server knows all it may hold.
 * Runs inside the transaction, before the update is stored or relayed.
 */
function refuseUnknownBoardFormat(transaction: Y.Transaction): void {
  const meta = getMetaMap(transaction.doc)
  // Keyed by the type changed; a map's entry holds the keys it changed.
  const keys = (transaction.changed as Map<unknown, Set<string | null>>).get(meta)
  if (!keys || (!keys.has(FORMAT_VERSION_KEY) && !keys.has(SCHEMA_KEY))) return
  const check = checkBoardMeta({
    formatVersion: meta.get(FORMAT_VERSION_KEY),
    schema: meta.get(SCHEMA_KEY),
  })
  if (check.ok) return
  throw new SyncError(
    'unsupported-board-format',
    'board format refused: this edit comes from a newer chainmap than this server',
    CloseCodes.badRequest,
    check.reason.replace(/; reload to update$/, ''),
  )
}

/**
 * Refuses a client's transaction that nests shared types (maps in maps…) more than
 * {@link MAX_JSON_DEPTH} deep: clients read a board with `toJSON`, which recurses through them.
 * (Values inside a type are bounded before the update is applied.) The types a transaction adds
 * are its structs past its state before; runs before anything is stored or relayed.
 */
function refuseDeepTypes(transaction: Y.Transaction): void {
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0
    if (after === before) continue
    const structs = transaction.doc.store.clients.get(client) ?? []
    for (let i = structs.length - 1; i >= 0; i--) {
      const struct = structs[i]
      if (!struct || struct.id.clock + struct.length <= before) break
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentType)) continue
      let depth = 1
      for (let parent = struct.parent; parent instanceof Y.AbstractType && parent._item; ) {
        if (++depth > MAX_JSON_DEPTH) {
          throw new SyncError(
            'refused-content',
            `Yjs update refused: shared types are nested more than ${MAX_JSON_DEPTH} levels deep`,
            CloseCodes.badRequest,
          )
        }
        parent = parent._item.parent
      }
    }
  }
}

function unreachable(value: never): never {
  throw new SyncError(
    'unknown-message-type',
    `unknown message ${JSON.stringify(value)}`,
    CloseCodes.badRequest,
  )
}
