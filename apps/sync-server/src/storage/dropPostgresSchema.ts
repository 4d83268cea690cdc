import pg from 'pg'

/**
 * Drops a PostgreSQL schema of chainmap-sync (the `CHAINMAP_DATABASE_SCHEMA` of a cluster) with
 * every room in it, if it exists. For tests, benchmarks and decommissioning a cluster; no node
 * may be using the schema.
 *
 * @param databaseUrl - `postgres://…` of the database holding the schema
 * @param schema - the schema's name
 */
export async function dropPostgresSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  // A lost connection also fails the query below; the event alone must not crash the caller.
  client.on('error', () => {})
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`)
  } finally {
    await client.end()
  }
}
