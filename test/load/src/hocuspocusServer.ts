import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Database } from '@hocuspocus/extension-database'
import { Server } from '@hocuspocus/server'

// Hocuspocus 4 with its database extension on SQLite (node:sqlite, WAL, synchronous=NORMAL, as
// chainmap-sync), at its default store debounce (2 s, at most 10 s). Run by the bench as
// `node hocuspocusServer.js <port> <data folder>`.
const [portArg, dataDir] = process.argv.slice(2)
if (!portArg || !dataDir) throw new Error('usage: hocuspocusServer.js <port> <data folder>')

const db = new DatabaseSync(join(dataDir, 'hocuspocus.sqlite'))
db.exec(`
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = NORMAL;
  CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
`)
const select = db.prepare('SELECT data FROM documents WHERE name = ?')
const upsert = db.prepare(
  'INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data',
)

const server = new Server({
  port: Number(portArg),
  address: '127.0.0.1',
  quiet: true,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => {
        const row = select.get(documentName) as { data: Uint8Array } | undefined
        return row ? new Uint8Array(row.data) : null
      },
      store: async ({ documentName, state }) => {
        upsert.run(documentName, state)
      },
    }),
  ],
})
await server.listen()
