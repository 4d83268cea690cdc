import { withPgClient } from './withPgClient.js'

/**
 * The last sequence number PostgreSQL at `databaseUrl` handed out for `room` in chainmap-sync's
 * `schema`: 0 for a room, or a schema, it does not hold (yet: a standby may not have replayed it).
 */
export async function storedLastSeq(
  databaseUrl: string,
  schema: string,
  room: string,
): Promise<number> {
  return withPgClient(databaseUrl, async (db) => {
    try {
      const result = await db.query<{ last_seq: string }>(
        `SELECT last_seq FROM "${schema}".chainmap_rooms WHERE room = $1`,
        [room],
      )
      return Number(result.rows[0]?.last_seq ?? 0)
    } catch (error) {
      // 42P01 undefined_table, 3F000 invalid_schema_name: nothing stored yet.
      const code = (error as { code?: string }).code
      if (code === '42P01' || code === '3F000') return 0
      throw error
    }
  })
}
