import pg from 'pg'
import { CloseCodes } from '../closeCodes.js'
import { SyncError } from '../SyncError.js'
import {
  type AppendEntry,
  type CompactOptions,
  type RoomStorage,
  type StoredRoom,
  storageWentBack,
} from './storage.js'

/** Options of a {@link PostgresStorage}. */
export interface PostgresStorageOptions {
  /** `postgres://user:password@host:5432/database` */
  readonly connectionString: string
  /** Schema holding the tables and the append function (created if missing). Default `public`. */
  readonly schema?: string
  /** Most pooled connections. Default 10. */
  readonly maxConnections?: number
  /** Told about errors of idle pooled connections (the pool replaces them). */
  readonly onIdleError?: (error: Error) => void
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

// First key of the two-key advisory locks: "cmap" in ASCII, so chainmap-sync's locks are told
// apart from other applications' locks in the same database.
const LOCK_CLASS = 0x636d6170

interface Row {
  seq: string
  data: Buffer
}

/**
 * {@link RoomStorage} on PostgreSQL, shared by every chainmap-sync node.
 *
 * Tables: `chainmap_rooms (room, last_seq)` hands out sequence numbers, `chainmap_updates (room, seq,
 * data)` is the log, `chainmap_snapshots (room, seq, state)` the folded state; the function
 * `chainmap_append_v1` numbers and stores a batch.
 *
 * Locking scheme:
 * - `append` is one call of the function `chainmap_append_v1`: it bumps `chainmap_rooms.last_seq`
 *   with an upsert, which row-locks the room until the statement's transaction commits, and inserts
 *   the numbered rows. Appends to one room (from any node) are therefore serialized and commit in
 *   sequence order: once seq n is visible, every seq below it is too. Rooms are locked in name
 *   order (byte order, `COLLATE "C"`), so two nodes appending batches that touch the same rooms
 *   cannot deadlock.
 * - `compact` and `replace` take a transaction-level advisory lock on the room
 *   (`pg_advisory_xact_lock(0x636d6170, hashtext(room))`), so compactions of one room never
 *   interleave; an older compaction arriving late leaves a newer snapshot alone. They do not block
 *   appends: a compaction only deletes rows at or below `throughSeq`, which were committed before the
 *   compacting node could know that number, and appends only add rows above `last_seq`.
 * - `load` and `readSince` read in one `REPEATABLE READ` transaction, so they see the snapshot and
 *   the rows from the same moment, before or after any concurrent compaction, never half of one.
 *
 * Durability: `append` resolves after its statement has committed, with the server's
 * `synchronous_commit` (default `on`: the commit is flushed to the WAL on disk).
 */
export class PostgresStorage implements RoomStorage {
  private readonly pool: pg.Pool
  private readonly rooms: string
  private readonly updates: string
  private readonly snapshots: string
  private readonly appendFunction: string
  private readonly schema: string
  private tables: Promise<void> | undefined
  private closed = false
  private disruptionCount = 0
  // When the database server last seen started: another value is a restart or another server.
  private serverStartedAt: string | undefined

  /** Connects lazily; the tables and the append function are created (if missing) before the first query. */
  constructor(options: PostgresStorageOptions) {
    const schema = options.schema ?? 'public'
    if (!SCHEMA_NAME.test(schema)) {
      throw new Error(
        `database schema ${JSON.stringify(schema)} is invalid: 1–63 of a–z 0–9 _ starting with a letter or _`,
      )
    }
    this.rooms = `"${schema}".chainmap_rooms`
    this.updates = `"${schema}".chainmap_updates`
    this.snapshots = `"${schema}".chainmap_snapshots`
    this.appendFunction = `"${schema}".chainmap_append_v1`
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      // An unreachable database fails requests (and /readyz) in seconds instead of hanging them.
      connectionTimeoutMillis: 5000,
    })
    this.pool.on('error', (error) => {
      this.disruptionCount++
      options.onIdleError?.(error)
    })
    this.schema = schema
  }

  /** Creates the tables once; after a failure (database down at start) the next call tries again. */
  private ensureTables(): Promise<void> {
    this.tables ??= this.migrate(this.schema).catch((error: unknown) => {
      this.tables = undefined
      throw error
    })
    return this.tables
  }

  private async migrate(schema: string): Promise<void> {
    await this.transaction(async (client) => {
      // Nodes starting together would race on CREATE … IF NOT EXISTS (it is not atomic).
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_CLASS])
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${this.rooms} (
          room text PRIMARY KEY,
          last_seq bigint NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ${this.updates} (
          room text NOT NULL,
          seq bigint NOT NULL,
          data bytea NOT NULL,
          PRIMARY KEY (room, seq)
        );
        CREATE TABLE IF NOT EXISTS ${this.snapshots} (
          room text PRIMARY KEY,
          seq bigint NOT NULL,
          state bytea NOT NULL
        );`)
      // An append in one round trip: a BEGIN, an upsert per room, the insert and a COMMIT cost a
      // round trip each, with the rooms locked across all of them. A function rather than one
      // statement sent each time: PL/pgSQL keeps the plan of its query for the session, and unlike
      // a prepared statement it needs nothing of a pooler in transaction mode.
      // The upsert takes the rooms in name order, so two nodes appending batches that touch the
      // same rooms cannot deadlock: byte order (COLLATE "C") whatever the database's collation,
      // which for names of ordinary characters is the order of the JavaScript sort earlier
      // versions used (nodes of both kinds run together in a rolling upgrade).
      // Created only if missing, never replaced: replacing needs the owner's role, and in a rolling
      // upgrade an old node restarting would put its body back. A change gets a new version.
      await client.query(`
        DO $do$ BEGIN
        IF to_regprocedure('${this.appendFunction}(text[], bytea[])') IS NULL THEN
        CREATE FUNCTION ${this.appendFunction}(batch_rooms text[], batch_data bytea[])
        RETURNS TABLE (entry bigint, entry_seq bigint)
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $fn$
        BEGIN
          RETURN QUERY
          WITH batch AS (
            SELECT room, data, ord
            FROM unnest(batch_rooms, batch_data) WITH ORDINALITY AS b(room, data, ord)
          ),
          counts AS (SELECT room, count(*) AS n FROM batch GROUP BY room),
          counters AS (
            INSERT INTO ${this.rooms} AS r (room, last_seq)
            SELECT room, n FROM counts ORDER BY room COLLATE "C"
            ON CONFLICT (room) DO UPDATE SET last_seq = r.last_seq + EXCLUDED.last_seq
            RETURNING r.room, r.last_seq
          ),
          numbered AS (
            SELECT b.ord, b.room, b.data,
                   c.last_seq - k.n + row_number() OVER (PARTITION BY b.room ORDER BY b.ord) AS seq
            FROM batch b JOIN counters c ON c.room = b.room JOIN counts k ON k.room = b.room
          ),
          stored AS (
            INSERT INTO ${this.updates} (room, seq, data) SELECT room, seq, data FROM numbered
          )
          SELECT numbered.ord, numbered.seq FROM numbered;
        END
        $fn$;
        END IF;
        END $do$`)
    }, false)
  }

  async load(room: string): Promise<StoredRoom> {
    return this.readSince(room, 0)
  }

  async readSince(room: string, afterSeq: number): Promise<StoredRoom> {
    return this.transaction(
      async (client) => {
        const snapshot = await client.query<{ seq: string; state: Buffer }>(
          `SELECT seq, state FROM ${this.snapshots} WHERE room = $1`,
          [room],
        )
        const snapshotRow = snapshot.rows[0]
        const snapshotSeq = snapshotRow ? Number(snapshotRow.seq) : 0
        const folded = snapshotRow !== undefined && snapshotSeq > afterSeq
        const from = folded ? snapshotSeq : afterSeq
        const rows = await client.query<Row>(
          `SELECT seq, data FROM ${this.updates} WHERE room = $1 AND seq > $2 ORDER BY seq`,
          [room, from],
        )
        const last = rows.rows.at(-1)
        return {
          snapshot: folded && snapshotRow ? new Uint8Array(snapshotRow.state) : null,
          updates: rows.rows.map((row) => new Uint8Array(row.data)),
          seq: last ? Number(last.seq) : from,
        }
      },
      true,
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    )
  }

  async lastSeqs(rooms: readonly string[]): Promise<Map<string, number>> {
    await this.ensureTables()
    const seqs = new Map<string, number>(rooms.map((room) => [room, 0]))
    if (rooms.length === 0) return seqs
    // One round trip that also says which server answered (the periodic check runs it every second).
    const result = await this.pool
      .query<{ started: string; room: string | null; last_seq: string | null }>(
        `SELECT s.started, r.room, r.last_seq
         FROM (SELECT pg_postmaster_start_time()::text AS started) s
         LEFT JOIN ${this.rooms} r ON r.room = ANY($1::text[])`,
        [rooms],
      )
      .catch(this.disrupted)
    const started = result.rows[0]?.started
    if (started !== undefined) this.sawServer(started)
    for (const row of result.rows) {
      if (row.room !== null) seqs.set(row.room, Number(row.last_seq))
    }
    return seqs
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    if (entries.length === 0) return []
    await this.ensureTables()
    // One statement, so one round trip and its own transaction (see the append function in migrate).
    const result = await this.pool
      .query<{ entry: string; entry_seq: string }>(
        `SELECT entry, entry_seq FROM ${this.appendFunction}($1::text[], $2::bytea[])`,
        [entries.map((entry) => entry.room), entries.map((entry) => Buffer.from(entry.update))],
      )
      .catch(this.disrupted)
    const seqs = new Array<number>(entries.length).fill(0)
    for (const row of result.rows) seqs[Number(row.entry) - 1] = Number(row.entry_seq)
    if (seqs.includes(0)) {
      throw new Error(
        `append: PostgreSQL numbered ${result.rows.length} of ${entries.length} updates`,
      )
    }
    return seqs
  }

  async compact(
    room: string,
    snapshot: Uint8Array,
    throughSeq: number,
    options: CompactOptions = {},
  ): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, room])
      // One round trip: which server answers, the room's last number and its snapshot's.
      const state = await client.query<{
        started: string
        last_seq: string | null
        snapshot_seq: string | null
      }>(
        `SELECT pg_postmaster_start_time()::text AS started,
                (SELECT last_seq FROM ${this.rooms} WHERE room = $1) AS last_seq,
                (SELECT seq FROM ${this.snapshots} WHERE room = $1) AS snapshot_seq`,
        [room],
      )
      const row = state.rows[0]
      // Folding is safe only on the server the room last checked its numbering against: a server
      // seen for the first time here (a failover the node saw no error from) makes the room read
      // back first.
      this.sawServer(row?.started ?? '')
      const expected = options.unlessDisruptedSince
      if (expected !== undefined && this.disruptionCount !== expected) {
        throw new SyncError(
          'storage-disrupted',
          `room ${room}: PostgreSQL was disrupted (or another server answers) since the room last checked; compaction postponed`,
          CloseCodes.serviceRestart,
        )
      }
      // Appends only raise it while this runs, so a number below throughSeq is storage gone back.
      const lastSeq = Number(row?.last_seq ?? 0)
      if (throughSeq > lastSeq) throw storageWentBack(room, throughSeq, lastSeq)
      const currentSeq = row?.snapshot_seq == null ? -1 : Number(row.snapshot_seq)
      // A newer snapshot (another node compacted further) must not be replaced by an older one.
      if (currentSeq >= throughSeq) return
      await client.query(
        `INSERT INTO ${this.snapshots} (room, seq, state) VALUES ($1, $2, $3)
         ON CONFLICT (room) DO UPDATE SET seq = EXCLUDED.seq, state = EXCLUDED.state`,
        [room, throughSeq, Buffer.from(snapshot)],
      )
      await client.query(`DELETE FROM ${this.updates} WHERE room = $1 AND seq <= $2`, [
        room,
        throughSeq,
      ])
    })
  }

  async replace(room: string, state: Uint8Array): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, room])
      const bumped = await client.query<{ last_seq: string }>(
        `INSERT INTO ${this.rooms} AS r (room, last_seq) VALUES ($1, 1)
         ON CONFLICT (room) DO UPDATE SET last_seq = r.last_seq + 1
         RETURNING last_seq`,
        [room],
      )
      const seq = Number(bumped.rows[0]?.last_seq)
      await client.query(`DELETE FROM ${this.updates} WHERE room = $1`, [room])
      await client.query(
        `INSERT INTO ${this.snapshots} (room, seq, state) VALUES ($1, $2, $3)
         ON CONFLICT (room) DO UPDATE SET seq = EXCLUDED.seq, state = EXCLUDED.state`,
        [room, seq, Buffer.from(state)],
      )
    })
  }

  async ping(): Promise<void> {
    await this.ensureTables()
    await this.pool.query('SELECT 1').catch(this.disrupted)
  }

  /** See {@link RoomStorage.disruptions}. */
  get disruptions(): number {
    return this.disruptionCount
  }

  /** Notes which server answered (its start time); another one counts as a disruption. */
  private sawServer(startedAt: string): void {
    if (this.serverStartedAt !== undefined && this.serverStartedAt !== startedAt) {
      this.disruptionCount++
    }
    this.serverStartedAt = startedAt
  }

  private readonly disrupted = (error: unknown): never => {
    this.disruptionCount++
    throw error
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.tables?.catch(() => {})
    await this.pool.end()
  }

  private async transaction<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    waitForTables = true,
    begin = 'BEGIN',
  ): Promise<T> {
    if (waitForTables) await this.ensureTables()
    const client = await this.pool.connect().catch(this.disrupted)
    let broken: Error | undefined
    // A connection lost while checked out (PostgreSQL restarting, a network cut) emits 'error' on
    // the client as well as failing its query; unheard, that event would crash the process.
    const onLost = (error: Error) => {
      broken = error
    }
    client.on('error', onLost)
    try {
      await client.query(begin)
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      // Any failure may be the database going away or changing (a read-only standby refusing
      // writes, a cut connection): it makes rooms read back before their next compaction.
      this.disruptionCount++
      try {
        await client.query('ROLLBACK')
      } catch (rollbackError) {
        // The connection itself failed: drop it from the pool instead of reusing it.
        broken = rollbackError as Error
      }
      throw error
    } finally {
      client.off('error', onLost)
      client.release(broken)
    }
  }
}
