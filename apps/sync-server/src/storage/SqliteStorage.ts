import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import type { AppendEntry, RoomStorage, StoredRoom } from './storage.js'
import { WalCheckpointer } from './WalCheckpointer.js'

/**
 * SQLite `synchronous` modes chainmap-sync allows (default `normal`). In WAL mode, `full` syncs the log on every
 * commit (a commit survives power loss); `normal` survives a killed process but may lose the last
 * commits on power loss or an OS crash.
 */
export type SqliteSynchronous = 'full' | 'normal'

const CHECKPOINT_INTERVAL_MS = 1000

/** File name of the database inside the data folder. */
export const SQLITE_FILE_NAME = 'chainmap-sync.sqlite'

/**
 * {@link RoomStorage} on an embedded SQLite database (Node's built-in `node:sqlite`) in WAL mode.
 * All calls are synchronous underneath; a commit has reached the WAL when `append` resolves.
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
   * Last sequence number per room this process has written or read. The server owns its data
   * folder while it runs (restore runs with it stopped), so the cache saves a query per commit; a
   * stale entry could only make an insert collide with the primary key, which fails the commit
   * (and drops the cache) rather than overwrite anything.
   */
  private readonly lastSeqByRoom = new Map<string, number>()
  private readonly checkpointer: WalCheckpointer | undefined
  private closed = false

  /**
   * Opens (creating if needed) the database in `dataDir`, or at exactly `dataDir` when it is
   * `':memory:'`.
   */
  constructor(dataDir: string, synchronous: SqliteSynchronous = 'normal') {
    let file = dataDir
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true })
      file = join(dataDir, SQLITE_FILE_NAME)
    }
    this.db = new DatabaseSync(file)
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
    // Checkpoints (which sync the database file) run on a worker thread, never stalling this one.
    if (file !== ':memory:') this.checkpointer = new WalCheckpointer(file, CHECKPOINT_INTERVAL_MS)
  }

  async load(room: string): Promise<StoredRoom> {
    const snapshotRow = this.selectSnapshot.get(room) as
      | { seq: number; state: Uint8Array }
      | undefined
    const snapshotSeq = snapshotRow?.seq ?? 0
    const rows = this.selectUpdates.all(room, snapshotSeq) as { seq: number; data: Uint8Array }[]
    const last = rows.at(-1)
    return {
      snapshot: snapshotRow ? new Uint8Array(snapshotRow.state) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      seq: last ? last.seq : snapshotSeq,
    }
  }

  async readSince(room: string, afterSeq: number): Promise<StoredRoom> {
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
    const seqs = new Map<string, number>()
    for (const room of rooms) {
      seqs.set(room, Number((this.selectLastSeq.get(room) as { seq: number | bigint }).seq))
    }
    return seqs
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    if (entries.length === 0) return []
    const next = new Map<string, number>()
    const seqs = this.transaction(() =>
      entries.map(({ room, update }) => {
        const seq = (next.get(room) ?? this.lastSeq(room)) + 1
        next.set(room, seq)
        this.insertUpdate.run(room, seq, update)
        return seq
      }),
    )
    for (const [room, seq] of next) this.lastSeqByRoom.set(room, seq)
    return seqs
  }

  async compact(room: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    this.transaction(() => {
      const current = this.selectSnapshot.get(room) as { seq: number } | undefined
      // A newer snapshot (another compaction got there first) must not be overwritten by an older one.
      if (current && current.seq >= throughSeq) return
      this.upsertSnapshot.run(room, throughSeq, snapshot)
      this.deleteUpdatesThrough.run(room, throughSeq)
    })
  }

  async replace(room: string, state: Uint8Array): Promise<void> {
    const seq = this.transaction(() => {
      const seq = this.lastSeq(room) + 1
      this.deleteAllUpdates.run(room)
      this.upsertSnapshot.run(room, seq, state)
      return seq
    })
    this.lastSeqByRoom.set(room, seq)
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.checkpointer?.stop()
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    this.db.close()
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
      // Whatever failed, the next commit reads sequence numbers from the database again.
      this.lastSeqByRoom.clear()
      throw error
    }
  }
}
