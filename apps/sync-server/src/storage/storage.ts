import { CloseCodes } from '../closeCodes.js'
import { SyncError } from '../SyncError.js'

/** A room's durable state as storage hands it back. */
export interface StoredRoom {
  /** The folded state (a Yjs update) or `null` if the room was never compacted. */
  readonly snapshot: Uint8Array | null
  /** Updates appended after the snapshot, oldest first. */
  readonly updates: readonly Uint8Array[]
  /** Sequence number of the last update the snapshot and `updates` cover (0 for a new room). */
  readonly seq: number
}

/** One update to append to a room's log. */
export interface AppendEntry {
  readonly room: string
  readonly update: Uint8Array
}

/** What opening a store found that an operator must hear about. */
export interface StorageOpenReport {
  /** Damaged stretches of the update journal that were skipped (records after them were kept). */
  readonly journalDamage: readonly {
    readonly at: number
    readonly bytes: number
    readonly atEnd: boolean
  }[]
  /** What the database's own integrity check found; empty when it passed. */
  readonly integrityProblems: readonly string[]
  /** Whether the database existed before it was opened. */
  readonly existed: boolean
  /** Boards the store holds. */
  readonly rooms: number
}

/**
 * Durable per-room storage: an append-only log of Yjs updates plus one snapshot per room.
 *
 * The rule every implementation keeps: when `append` resolves, the updates are committed (they
 * survive the process being killed), because the server relays an update only after that. Sequence
 * numbers are per room, consecutive (an append that failed leaves no hole), never reused once
 * committed, and committed in order (seq n is committed before seq n + 1 is handed out), so that
 * several nodes sharing one store can detect a gap and catch up with {@link RoomStorage.readSince},
 * and the updates a read returns are numbered one by one up to its `seq`.
 */
export interface RoomStorage {
  /** Reads a room's snapshot and the updates after it. An unknown room is empty, not an error. */
  load(room: string): Promise<StoredRoom>
  /**
   * What a node holding every update through `afterSeq` lacks (catch-up after a missed fan-out
   * message): the updates after `afterSeq`, or, when some of those were already folded into the
   * snapshot, the snapshot and the updates after it. `seq` is the last one covered (at least
   * `afterSeq`). Reads one consistent state even while other nodes append or compact.
   */
  readSince(room: string, afterSeq: number): Promise<StoredRoom>
  /** The last committed sequence number of each of `rooms` (0 for a room never written). */
  lastSeqs(rooms: readonly string[]): Promise<Map<string, number>>
  /**
   * Appends all entries in one transaction and commits it; resolves with each entry's sequence
   * number, in order. Either all entries are committed or none is (then it rejects).
   */
  append(entries: readonly AppendEntry[]): Promise<number[]>
  /**
   * Replaces a room's snapshot with `snapshot` (which must contain every update up to and
   * including `throughSeq`) and deletes those log rows, in the same transaction.
   */
  compact(
    room: string,
    snapshot: Uint8Array,
    throughSeq: number,
    options?: CompactOptions,
  ): Promise<void>
  /** Replaces a room's whole stored state with `state` (restore from a backup). */
  replace(room: string, state: Uint8Array): Promise<void>
  /**
   * Storage shared by several nodes only: how many times this process saw the database fail a
   * query, drop a connection or be replaced by another server. A failover does these, and a new
   * primary that lacks the last commits hands their numbers out again; a room that sees this count
   * change reads back what it is about to fold before compacting. Undefined for a store only this
   * process writes.
   */
  readonly disruptions?: number
  /** What opening the store found, for the server to report (SQLite; undefined elsewhere). */
  readonly openReport?: StorageOpenReport
  /** Resolves if the storage answers a trivial query; used by `/readyz`. */
  ping(): Promise<void>
  /** Closes the storage; pending commits are already done when `append` resolved. */
  close(): Promise<void>
}

/** Conditions a compaction checks in its own transaction. */
export interface CompactOptions {
  /**
   * Shared storage: fold only if {@link RoomStorage.disruptions} still has this value once the
   * transaction has checked which server answers (else reject with `storage-disrupted`), so that
   * no disruption can slip in between a room's read-back and its fold.
   */
  readonly unlessDisruptedSince?: number
}

/**
 * The error a storage throws when asked to fold updates it does not hold: a node's document had
 * applied update `throughSeq`, yet the room's last committed number is `lastSeq`. Storage lost
 * commits behind the node's back (a failover to a standby that lacked them, a restored backup).
 */
export function storageWentBack(room: string, throughSeq: number, lastSeq: number): SyncError {
  return new SyncError(
    'storage-went-back',
    `room ${room}: a compaction through update ${throughSeq} was refused, as storage's last update is ${lastSeq}; storage lost commits (a failover to a standby without them, or a restored backup)`,
    CloseCodes.serviceRestart,
  )
}
