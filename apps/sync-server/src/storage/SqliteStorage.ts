import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import {
  type AppendEntry,
  type RoomStorage,
  type StorageOpenReport,
  type StoredRoom,
  storageWentBack,
} from './storage.js'
import {
  type JournalDamage,
  type JournalRecord,
  readJournalFile,
  UpdateJournal,
} from './UpdateJournal.js'
import { WalCheckpointer } from './WalCheckpointer.js'

/**
 * SQLite `synchronous` modes chainmap-sync allows (default `normal`). `full` syncs the update journal
 * on every append and the WAL on every commit (an append survives power loss); `normal` survives a
 * killed process but may lose the last appends on power loss or an OS crash.
 */
export type SqliteSynchronous = 'full' | 'normal'

/** How {@link SqliteStorage} opens its folder. */
export interface SqliteOpenOptions {
  /**
   * Only read, while a server may be writing: loads add what the journal holds beyond the
   * database, but nothing is recovered, flushed, checkpointed or cleared, and writes throw.
   */
  readonly readOnly?: boolean
}

const CHECKPOINT_INTERVAL_MS = 1000

/** File name of the database inside the data folder. */
export const SQLITE_FILE_NAME = 'chainmap-sync.sqlite'

/** File name of the update journal inside the data folder (see {@link UpdateJournal}). */
export const JOURNAL_FILE_NAME = 'chainmap-sync.journal'

// Journaled updates go into the database together this long after the first of them: at 6,400
// updates/s about 30 rows per commit instead of one commit per socket read. A SQLite commit's lock
// calls and WAL writes cost 20-50 µs, and an occasional one stalls for milliseconds; the journal
// write that replaces it on the relay path is one `write` of a few µs.
const JOURNAL_FLUSH_MS = 5
// After a flush everything journaled is in the database: the file is emptied once it is this big.
const JOURNAL_CLEAR_BYTES = 1 << 20
const RETRY_FLUSH_MS = 1000
// SQLite's primary result code for a constraint violation (the low byte of the extended code).
const SQLITE_CONSTRAINT = 19

/**
 * {@link RoomStorage} on an embedded SQLite database (Node's built-in `node:sqlite`) in WAL mode,
 * fronted by an {@link UpdateJournal} in the same folder. `append` resolves once its updates are
 * in the journal (one `write`, synced with `full`); they go into the database a few milliseconds
 * later, many per commit, and every other call puts them in first, so reads always see them. On
 * opening, whatever the journal holds that the database lacks (a process killed in between) goes
 * in before anything else. In memory (`':memory:'`) there is no journal: `append` commits.
 */
export class SqliteStorage implements RoomStorage {
  private readonly db: DatabaseSync
  private readonly selectSnapshot: StatementSync
  private readonly selectUpdates: StatementSync
  private readonly selectLastSeq: StatementSync
  private readonly insertUpdate: StatementSync
  private readonly upsertSnapshot: StatementSync
  private readonly deleteUpdatesThrough: StatementSync
  private readonly deleteAllUpdates: StatementSync
  private readonly begin: StatementSync
  private readonly commit: StatementSync
  private readonly rollback: StatementSync
  /**
   * Last sequence number per room this process has written (journaled updates included) or read.
   * The server owns its data folder while it runs (restore runs with it stopped), so the cache
   * saves a query per append. Should another writer break that rule, an insert collides with the
   * primary key: a direct commit then fails (and drops the cache), a journaled row goes in after
   * the other writer's instead. Nothing is overwritten either way.
   */
  private readonly lastSeqByRoom = new Map<string, number>()
  private readonly selectSnapshotSeq: StatementSync
  private readonly selectUpdateAt: StatementSync
  private readonly checkpointer: WalCheckpointer | undefined
  private readonly journal: UpdateJournal | undefined
  /** The journal file a read-only instance reads (and never writes). */
  private readonly journalToRead: string | undefined
  /** Journaled updates not yet in the database, in journal order. */
  private pending: JournalRecord[] = []
  private flushTimer: NodeJS.Timeout | undefined
  /** Why the last flush failed; appends are refused until one succeeds. */
  private flushFailure: unknown
  private closed = false
  /** What opening the data folder found (a folder opened for writing only). */
  readonly openReport: StorageOpenReport | undefined

  /**
   * Opens (creating if needed) the database in `dataDir`, or at exactly `dataDir` when it is
   * `':memory:'`.
   */
  constructor(
    dataDir: string,
    synchronous: SqliteSynchronous = 'normal',
    options: SqliteOpenOptions = {},
  ) {
    let file = dataDir
    const readOnly = options.readOnly === true && dataDir !== ':memory:'
    if (dataDir !== ':memory:') {
      file = join(dataDir, SQLITE_FILE_NAME)
      if (readOnly && !existsSync(file)) {
        throw new Error(`no chainmap-sync database in ${dataDir} (looked for ${SQLITE_FILE_NAME})`)
      }
      mkdirSync(dataDir, { recursive: true })
    }
    const existed = file !== ':memory:' && existsSync(file)
    this.db = new DatabaseSync(file, { readOnly })
    if (readOnly) this.db.exec('PRAGMA busy_timeout = 5000')
    else
      this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA wal_autocheckpoint = ${file === ':memory:' ? 1000 : 0};
      PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'};
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS snapshots (
        room TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        state BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS updates (
        room TEXT NOT NULL,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (room, seq)
      ) WITHOUT ROWID;
    `)
    this.selectSnapshot = this.db.prepare('SELECT seq, state FROM snapshots WHERE room = ?')
    this.selectUpdates = this.db.prepare(
      'SELECT seq, data FROM updates WHERE room = ? AND seq > ? ORDER BY seq',
    )
    this.selectLastSeq = this.db.prepare(`
      SELECT max(
        coalesce((SELECT max(seq) FROM updates WHERE room = ?1), 0),
        coalesce((SELECT seq FROM snapshots WHERE room = ?1), 0)
      ) AS seq`)
    this.insertUpdate = this.db.prepare('INSERT INTO updates (room, seq, data) VALUES (?, ?, ?)')
    this.upsertSnapshot = this.db.prepare(
      'INSERT INTO snapshots (room, seq, state) VALUES (?, ?, ?) ' +
        'ON CONFLICT (room) DO UPDATE SET seq = excluded.seq, state = excluded.state',
    )
    this.deleteUpdatesThrough = this.db.prepare('DELETE FROM updates WHERE room = ? AND seq <= ?')
    this.deleteAllUpdates = this.db.prepare('DELETE FROM updates WHERE room = ?')
    this.begin = this.db.prepare('BEGIN IMMEDIATE')
    this.commit = this.db.prepare('COMMIT')
    this.rollback = this.db.prepare('ROLLBACK')
    this.selectSnapshotSeq = this.db.prepare('SELECT seq FROM snapshots WHERE room = ?')
    this.selectUpdateAt = this.db.prepare('SELECT data FROM updates WHERE room = ? AND seq = ?')
    if (file === ':memory:') return
    if (readOnly) {
      this.journalToRead = join(dataDir, JOURNAL_FILE_NAME)
      return
    }
    this.journal = new UpdateJournal(join(dataDir, JOURNAL_FILE_NAME), synchronous === 'full')
    const journalDamage = this.recoverJournal(this.journal)
    this.openReport = {
      journalDamage,
      integrityProblems: this.quickCheck(),
      existed,
      rooms: this.countRooms(),
    }
    // Checkpoints (which sync the database file) run on a worker thread, never stalling this one.
    this.checkpointer = new WalCheckpointer(file, CHECKPOINT_INTERVAL_MS)
  }

  async load(room: string): Promise<StoredRoom> {
    this.flushPending()
    // One read transaction: a compaction cannot slip in between the snapshot and the rows.
    this.db.exec('BEGIN')
    let stored: StoredRoom
    try {
      const snapshotRow = this.selectSnapshot.get(room) as
        | { seq: number; state: Uint8Array }
        | undefined
      const snapshotSeq = snapshotRow?.seq ?? 0
      const rows = this.selectUpdates.all(room, snapshotSeq) as {
        seq: number
        data: Uint8Array
      }[]
      stored = {
        snapshot: snapshotRow ? new Uint8Array(snapshotRow.state) : null,
        updates: rows.map((row) => new Uint8Array(row.data)),
        seq: rows.at(-1)?.seq ?? snapshotSeq,
      }
    } finally {
      this.db.exec('COMMIT')
    }
    return this.journalToRead ? withJournaled(stored, room, this.journalToRead) : stored
  }

  async readSince(room: string, afterSeq: number): Promise<StoredRoom> {
    this.flushPending()
    // One read transaction: a compaction cannot slip in between the snapshot and the rows.
    this.db.exec('BEGIN')
    try {
      const snapshotRow = this.selectSnapshot.get(room) as
        | { seq: number; state: Uint8Array }
        | undefined
      const folded = snapshotRow !== undefined && snapshotRow.seq > afterSeq
      const from = folded ? snapshotRow.seq : afterSeq
      const rows = this.selectUpdates.all(room, from) as { seq: number; data: Uint8Array }[]
      return {
        snapshot: folded ? new Uint8Array(snapshotRow.state) : null,
        updates: rows.map((row) => new Uint8Array(row.data)),
        seq: rows.at(-1)?.seq ?? from,
      }
    } finally {
      this.db.exec('COMMIT')
    }
  }

  async lastSeqs(rooms: readonly string[]): Promise<Map<string, number>> {
    this.flushPending()
    const seqs = new Map<string, number>()
    for (const room of rooms) {
      seqs.set(room, Number((this.selectLastSeq.get(room) as { seq: number | bigint }).seq))
    }
    return seqs
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    this.checkWritable()
    if (this.closed) throw new Error('this SQLite storage is closed')
    if (entries.length === 0) return []
    if (!this.journal) return this.commitNow(entries)
    if (this.flushFailure !== undefined) throw this.flushFailure
    const records = this.numbered(entries)
    // Throws (disk full…) before anything is noted: the caller relays nothing.
    this.journal.append(records)
    this.noteSeqs(records)
    for (const record of records) this.pending.push(record)
    this.flushTimer ??= setTimeout(() => this.flushInBackground(), JOURNAL_FLUSH_MS)
    return records.map((record) => record.seq)
  }

  async compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    this.checkWritable()
    this.flushPending()
    this.transaction(() => {
      const lastSeq = this.lastSeq(room)
      if (throughSeq > lastSeq) throw storageWentBack(room, throughSeq, lastSeq)
      const current = this.selectSnapshotSeq.get(room) as { seq: number } | undefined
      // A newer snapshot (another compaction got there first) must not be overwritten by an older one.
      if (current && current.seq >= throughSeq) return
      this.upsertSnapshot.run(room, throughSeq, snapshot)
      this.deleteUpdatesThrough.run(room, throughSeq)
    })
  }

  async replace(room: string, state: Uint8Array): Promise<void> {
    this.checkWritable()
    this.flushPending()
    const seq = this.transaction(() => {
      const seq = this.lastSeq(room) + 1
      this.deleteAllUpdates.run(room)
      this.upsertSnapshot.run(room, seq, state)
      return seq
    })
    this.lastSeqByRoom.set(room, seq)
  }

  async ping(): Promise<void> {
    if (this.flushFailure !== undefined) throw this.flushFailure
    this.db.prepare('SELECT 1').get()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.flushTimer)
    try {
      this.flushPending()
      // Everything journaled is in the database now. Left as it is when the flush failed: the next
      // start puts it in.
      this.clearJournal()
    } finally {
      this.journal?.close()
      await this.checkpointer?.stop()
      if (!this.journalToRead) this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
      this.db.close()
    }
  }

  private checkWritable(): void {
    if (this.journalToRead) throw new Error('this SQLite storage was opened read-only')
  }

  /** Puts every journaled update into the database in one commit; throws if the commit fails. */
  private flushPending(): void {
    if (this.pending.length === 0) return
    const rows = this.pending
    try {
      this.transaction(() => {
        for (const row of rows) this.insertJournaled(row)
      })
    } catch (error) {
      this.flushFailure = error
      throw error
    }
    this.pending = []
    this.flushFailure = undefined
    if (this.journal && this.journal.size >= JOURNAL_CLEAR_BYTES) this.clearJournal()
  }

  /** Empties the journal once all of it is in the database; a failure only leaves it longer. */
  private clearJournal(): void {
    try {
      this.journal?.clear()
    } catch {
      // Every record in it is in the database: recovery skips them, and the next clear retries.
    }
  }

  private flushInBackground(): void {
    this.flushTimer = undefined
    try {
      this.flushPending()
    } catch {
      // Kept in the journal and in memory; appends are refused (and the readiness probe fails)
      // until a retry gets them into the database.
      this.flushTimer = setTimeout(() => this.flushInBackground(), RETRY_FLUSH_MS)
    }
  }

  /** Inserts a journaled update under its number, unless it is there already. */
  private insertJournaled(row: JournalRecord): void {
    try {
      this.insertUpdate.run(row.room, row.seq, row.update)
      return
    } catch (error) {
      if (!isConstraintError(error)) throw error
    }
    const stored = this.selectUpdateAt.get(row.room, row.seq) as { data: Uint8Array } | undefined
    if (stored && Buffer.from(stored.data).equals(row.update)) return
    // Another writer's update holds this number: this one goes in after it.
    this.insertAfterLast(row.room, row.update)
  }

  private insertAfterLast(room: string, update: Uint8Array): void {
    this.lastSeqByRoom.delete(room)
    const seq = this.lastSeq(room) + 1
    this.insertUpdate.run(room, seq, update)
    this.lastSeqByRoom.set(room, seq)
  }

  /**
   * Puts into the database what the journal holds and it lacks: the updates of a process that
   * stopped between an append and its flush. Runs before anything else touches the database.
   */
  /**
   * SQLite's own check of its pages and indexes (`PRAGMA quick_check`): damage it finds here would
   * otherwise only show as boards served in part. Reads the whole file once, at start.
   */
  private quickCheck(): string[] {
    try {
      const rows = this.db.prepare('PRAGMA quick_check').all() as { quick_check: string }[]
      const problems = rows.map((row) => row.quick_check)
      return problems.length === 1 && problems[0] === 'ok' ? [] : problems
    } catch (error) {
      // Damage bad enough that the check itself stops at it.
      return [(error as Error).message]
    }
  }

  /** Boards the database holds; NaN when it cannot be counted (the integrity check says why). */
  private countRooms(): number {
    try {
      const row = this.db
        .prepare(
          'SELECT count(*) AS n FROM (SELECT room FROM snapshots UNION SELECT room FROM updates)',
        )
        .get() as { n: number | bigint }
      return Number(row.n)
    } catch {
      return Number.NaN
    }
  }

  private recoverJournal(journal: UpdateJournal): JournalDamage[] {
    const { records, damage } = journal.read()
    if (records.length > 0) {
      this.transaction(() => {
        for (const record of records) this.recover(record)
      })
    }
    this.lastSeqByRoom.clear()
    // Also drops a torn last record, which no append ever reported done.
    if (journal.size > 0) journal.clear()
    return damage
  }

  private recover(record: JournalRecord): void {
    const snapshot = this.selectSnapshotSeq.get(record.room) as { seq: number } | undefined
    // Folded into a snapshot (compacted or replaced) after it was flushed.
    if (snapshot && record.seq <= snapshot.seq) return
    this.insertJournaled(record)
  }

  private commitNow(entries: readonly AppendEntry[]): number[] {
    const records = this.numbered(entries)
    this.transaction(() => {
      for (const { room, seq, update } of records) this.insertUpdate.run(room, seq, update)
    })
    this.noteSeqs(records)
    return records.map((record) => record.seq)
  }

  /** `entries` with the sequence numbers they get, each room's continuing from its last. */
  private numbered(entries: readonly AppendEntry[]): JournalRecord[] {
    const next = new Map<string, number>()
    return entries.map(({ room, update }) => {
      const seq = (next.get(room) ?? this.lastSeq(room)) + 1
      next.set(room, seq)
      return { room, seq, update }
    })
  }

  /** Remembers the numbers of `records`, once they are stored (journal order: the last wins). */
  private noteSeqs(records: readonly JournalRecord[]): void {
    for (const { room, seq } of records) this.lastSeqByRoom.set(room, seq)
  }

  private lastSeq(room: string): number {
    const cached = this.lastSeqByRoom.get(room)
    if (cached !== undefined) return cached
    return Number((this.selectLastSeq.get(room) as { seq: number | bigint }).seq)
  }

  private transaction<T>(work: () => T): T {
    this.begin.run()
    try {
      const result = work()
      this.commit.run()
      return result
    } catch (error) {
      if (this.db.isTransaction) this.rollback.run()
      // Whatever failed, the next commit reads sequence numbers from the database again, except
      // for rooms with journaled updates still to go in, whose numbers only the cache knows.
      const waiting = new Set(this.pending.map((row) => row.room))
      for (const room of this.lastSeqByRoom.keys()) {
        if (!waiting.has(room)) this.lastSeqByRoom.delete(room)
      }
      throw error
    }
  }
}

function isConstraintError(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode
  return typeof code === 'number' && (code & 0xff) === SQLITE_CONSTRAINT
}

/**
 * `stored` followed by the journal's records of `room` that continue it without a gap. A reader
 * beside a running server reads the database first and the journal after; should the server have
 * flushed and emptied the journal in between and journaled more, the records after the gap are left
 * out, so the result is always a whole prefix of the room's updates.
 */
function withJournaled(stored: StoredRoom, room: string, journalFile: string): StoredRoom {
  const updates = [...stored.updates]
  let seq = stored.seq
  for (const record of readJournalFile(journalFile).records) {
    if (record.room !== room || record.seq <= seq) continue
    if (record.seq !== seq + 1) break
    updates.push(record.update)
    seq = record.seq
  }
  return { ...stored, updates, seq }
}
