import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { waitFor } from '../testkit/clients.js'
import { proxiedDatabase } from '../testkit/proxiedDatabase.js'
import { services, uniqueName } from '../testkit/services.js'
import { withPgClient } from '../testkit/withPgClient.js'
import { dropPostgresSchema } from './dropPostgresSchema.js'
import { PostgresStorage } from './PostgresStorage.js'
import { storageContract } from './storageContract.testkit.js'

const env = services('PostgresStorage (real PostgreSQL)', ['DATABASE_URL'])
const schemas: string[] = []

function open(schema = uniqueName('pg')): PostgresStorage {
  if (!env) throw new Error('unreachable: suite skipped without DATABASE_URL')
  if (!schemas.includes(schema)) schemas.push(schema)
  return new PostgresStorage({ connectionString: env.databaseUrl, schema })
}

const databases: string[] = []

afterAll(async () => {
  if (!env) return
  for (const schema of schemas) await dropPostgresSchema(env.databaseUrl, schema)
  await withPgClient(env.databaseUrl, async (admin) => {
    for (const name of databases)
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  })
})

/** A database next to `databaseUrl`'s whose default collation is ICU's English one; its URL. */
async function icuDatabase(databaseUrl: string): Promise<string> {
  const name = uniqueName('icu')
  await withPgClient(databaseUrl, (admin) =>
    admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en'`),
  )
  databases.push(name)
  const url = new URL(databaseUrl)
  url.pathname = `/${name}`
  return url.toString()
}

// Skipped only when DATABASE_URL is missing outside CI; `services` says so loudly.
describe.skipIf(!env)('PostgresStorage', () => {
  storageContract('PostgresStorage', async () => open())

  it('keeps numbering gap-free and loses nothing while two nodes append and compact at once', async () => {
    const schema = uniqueName('pg')
    const nodeA = open(schema)
    const nodeB = open(schema)
    try {
      const docs = [new Y.Doc(), new Y.Doc()]
      const all = new Y.Doc()
      const appended: Promise<number[]>[] = []
      const compactions: Promise<void>[] = []
      for (let i = 0; i < 40; i++) {
        const node = i % 2 === 0 ? nodeA : nodeB
        const doc = docs[i % 2] as Y.Doc
        const before = Y.encodeStateVector(doc)
        doc.getMap('m').set(`k${i}`, i)
        const update = Y.encodeStateAsUpdate(doc, before)
        Y.applyUpdate(all, update)
        appended.push(node.append([{ room: 'shared', update }]))
        if (i % 10 === 9) {
          // Compact what storage holds so far from the other node while appends are in flight.
          const stored = await (i % 20 === 9 ? nodeB : nodeA).load('shared')
          const folded = new Y.Doc()
          if (stored.snapshot) Y.applyUpdate(folded, stored.snapshot)
          for (const u of stored.updates) Y.applyUpdate(folded, u)
          compactions.push(
            (i % 20 === 9 ? nodeA : nodeB).compact(
              'shared',
              Y.encodeStateAsUpdate(folded),
              stored.seq,
            ),
          )
        }
      }
      const seqs = (await Promise.all(appended)).flat().sort((a, b) => a - b)
      await Promise.all(compactions)
      expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      const fresh = open(schema)
      const stored = await fresh.load('shared')
      await fresh.close()
      const loaded = new Y.Doc()
      if (stored.snapshot) Y.applyUpdate(loaded, stored.snapshot)
      for (const u of stored.updates) Y.applyUpdate(loaded, u)
      expect(loaded.getMap('m').toJSON()).toEqual(all.getMap('m').toJSON())
      expect(stored.seq).toBe(40)
    } finally {
      await nodeA.close()
      await nodeB.close()
    }
  })

  it('two nodes appending batches over the same rooms in opposite orders never deadlock, and each number names its own row', async () => {
    const schema = uniqueName('pg')
    const nodeA = open(schema)
    const nodeB = open(schema)
    try {
      const rooms = ['r1', 'r2', 'r3', 'r4', 'r5']
      const batch = (node: string, i: number, order: readonly string[]) =>
        order.flatMap((room) =>
          ['first', 'second'].map((which) => ({ room, text: `${node}${i}-${room}-${which}` })),
        )
      const batches = Array.from({ length: 30 }, (_, i) => [
        { node: nodeA, entries: batch('a', i, rooms) },
        { node: nodeB, entries: batch('b', i, [...rooms].reverse()) },
      ]).flat()
      // Many batches in flight on both pools at once, so their row locks overlap.
      const results = await Promise.all(
        batches.map(({ node, entries }) =>
          node.append(
            entries.map(({ room, text }) => ({ room, update: new TextEncoder().encode(text) })),
          ),
        ),
      )
      const fresh = open(schema)
      try {
        const stored = new Map<string, string[]>()
        for (const room of rooms) {
          const loaded = await fresh.load(room)
          expect(loaded.seq).toBe(120)
          stored.set(
            room,
            loaded.updates.map((u) => new TextDecoder().decode(u)),
          )
        }
        for (const [i, { entries }] of batches.entries()) {
          for (const [j, { room, text }] of entries.entries()) {
            const seq = results[i]?.[j] ?? 0
            expect(stored.get(room)?.[seq - 1], `seq ${seq} of ${room}`).toBe(text)
          }
        }
      } finally {
        await fresh.close()
      }
    } finally {
      await nodeA.close()
      await nodeB.close()
    }
  })

  // Names whose order differs between byte order and an ICU collation ('a' < 'B' there), so a
  // database collated by ICU shows that the order is the byte order whatever the collation.
  const ROOMS = ['a', 'B', 'c', 'D', 'e']
  for (const collation of ['of the test database', 'ICU en']) {
    it(`an append locks its rooms in byte order whatever order its batch lists them in (database collation: ${collation})`, async () => {
      if (!env) return
      const databaseUrl =
        collation === 'ICU en' ? await icuDatabase(env.databaseUrl) : env.databaseUrl
      const schema = uniqueName('pg')
      const storage = new PostgresStorage({ connectionString: databaseUrl, schema })
      const holder = new pg.Client({ connectionString: databaseUrl })
      const prober = new pg.Client({ connectionString: databaseUrl })
      await holder.connect()
      await prober.connect()
      try {
        const entry = (room: string) => ({ room, update: new TextEncoder().encode(room) })
        await storage.append(ROOMS.map(entry))
        // Byte order, as JavaScript's sort: B D a c e. Hold the middle one.
        const byteOrder = [...ROOMS].sort()
        const held = byteOrder[2] ?? ''
        await holder.query('BEGIN')
        await holder.query(`SELECT 1 FROM "${schema}".chainmap_rooms WHERE room = $1 FOR UPDATE`, [
          held,
        ])
        const appending = storage.append([...ROOMS].reverse().map(entry))
        // The append takes the two rooms before the held one, then waits, leaving two free.
        let free: string[] = []
        await waitFor(async () => {
          const result = await prober.query<{ room: string }>(
            `SELECT room FROM "${schema}".chainmap_rooms WHERE room = ANY($1) FOR UPDATE SKIP LOCKED`,
            [ROOMS],
          )
          free = result.rows.map((row) => row.room).sort()
          return free.length === 2
        }, 'the append to lock two rooms and wait for the held one').catch((error: Error) => {
          throw new Error(`${error.message}; unlocked: ${free.join(', ')}`)
        })
        expect(free).toEqual(byteOrder.slice(3))
        await holder.query('COMMIT')
        expect(await appending).toEqual([2, 2, 2, 2, 2])
      } finally {
        await holder.end()
        await prober.end()
        await storage.close()
        // The ICU database goes as a whole (afterAll).
        if (databaseUrl === env.databaseUrl) schemas.push(schema)
      }
    })
  }

  it('counts a dropped connection as a disruption, and folds only if none happened since the given count', async () => {
    if (!env) return
    const { proxy, through } = await proxiedDatabase(env.databaseUrl)
    const schema = uniqueName('pg')
    schemas.push(schema)
    const storage = new PostgresStorage({ connectionString: through, schema })
    try {
      const doc = new Y.Doc()
      doc.getMap('m').set('k', 1)
      await storage.append([{ room: 'r', update: Y.encodeStateAsUpdate(doc) }])
      await storage.lastSeqs(['r'])
      const calm = storage.disruptions
      // The periodic query sees the same server every time: no disruption.
      await storage.lastSeqs(['r'])
      expect(storage.disruptions).toBe(calm)
      proxy.cut()
      await waitFor(() => storage.disruptions > calm, 'the dropped connection to count')
      proxy.restore()
      const refused = storage.compact('r', Y.encodeStateAsUpdate(doc), 1, {
        unlessDisruptedSince: calm,
      })
      await expect(refused).rejects.toMatchObject({ code: 'storage-disrupted' })
      expect((await storage.load('r')).snapshot).toBeNull()
      await storage.compact('r', Y.encodeStateAsUpdate(doc), 1, {
        unlessDisruptedSince: storage.disruptions,
      })
      expect((await storage.load('r')).snapshot).not.toBeNull()
    } finally {
      await storage.close()
      await proxy.close()
    }
  })

  it('refuses an unsafe schema name, naming it', () => {
    expect(
      () =>
        new PostgresStorage({ connectionString: 'postgres://x@127.0.0.1/x', schema: 'a"; drop' }),
    ).toThrow(/database schema "a\\"; drop" is invalid/)
  })
})
