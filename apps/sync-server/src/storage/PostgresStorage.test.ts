import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { waitFor } from '../testkit/clients.js'
import { proxiedDatabase } from '../testkit/proxiedDatabase.js'
import { services, uniqueName } from '../testkit/services.js'
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

afterAll(async () => {
  if (env) for (const schema of schemas) await dropPostgresSchema(env.databaseUrl, schema)
})

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

  it('an append locks its rooms in name order, whatever order its batch lists them in', async () => {
    if (!env) return
    const schema = uniqueName('pg')
    const storage = open(schema)
    const holder = new pg.Client({ connectionString: env.databaseUrl })
    const prober = new pg.Client({ connectionString: env.databaseUrl })
    await holder.connect()
    await prober.connect()
    try {
      const rooms = ['r1', 'r2', 'r3', 'r4', 'r5']
      const entry = (room: string) => ({ room, update: new TextEncoder().encode(room) })
      await storage.append(rooms.map(entry))
      await holder.query('BEGIN')
      await holder.query(`SELECT 1 FROM "${schema}".chainmap_rooms WHERE room = 'r3' FOR UPDATE`)
      const appending = storage.append([...rooms].reverse().map(entry))
      // In name order the append takes r1 and r2, then waits for r3, leaving r4 and r5 free.
      let free: string[] = []
      await waitFor(async () => {
        const result = await prober.query<{ room: string }>(
          `SELECT room FROM "${schema}".chainmap_rooms WHERE room = ANY($1)
           ORDER BY room FOR UPDATE SKIP LOCKED`,
          [rooms],
        )
        free = result.rows.map((row) => row.room)
        return free.length === 2
      }, 'the append to lock two rooms and wait for r3').catch((error: Error) => {
        throw new Error(`${error.message}; unlocked: ${free.join(', ')}`)
      })
      expect(free).toEqual(['r4', 'r5'])
      await holder.query('COMMIT')
      expect(await appending).toEqual([2, 2, 2, 2, 2])
    } finally {
      await holder.end()
      await prober.end()
      await storage.close()
    }
  })

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
