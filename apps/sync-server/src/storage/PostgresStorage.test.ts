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

  it('two nodes appending batches over the same rooms in opposite orders never deadlock and number every room gap-free', async () => {
    const schema = uniqueName('pg')
    const nodeA = open(schema)
    const nodeB = open(schema)
    try {
      const rooms = ['r1', 'r2', 'r3', 'r4', 'r5']
      const batch = (node: string, i: number, order: readonly string[]) =>
        order.flatMap((room) => [
          { room, update: new TextEncoder().encode(`${node}${i}${room}-first`) },
          { room, update: new TextEncoder().encode(`${node}${i}${room}-second`) },
        ])
      // Many batches in flight on both pools at once, so their row locks overlap.
      const appends = Array.from({ length: 30 }, (_, i) => [
        nodeA.append(batch('a', i, rooms)),
        nodeB.append(batch('b', i, [...rooms].reverse())),
      ]).flat()
      const results = await Promise.all(appends)
      for (const seqs of results) {
        // Within a batch, each room's two updates are numbered one after the other, in order.
        for (let j = 0; j < seqs.length; j += 2) expect(seqs[j + 1]).toBe((seqs[j] ?? 0) + 1)
      }
      const fresh = open(schema)
      try {
        for (const room of rooms) {
          const stored = await fresh.load(room)
          expect(stored.seq).toBe(120)
          const texts = stored.updates.map((u) => new TextDecoder().decode(u))
          expect(new Set(texts).size).toBe(120)
          for (let j = 0; j < texts.length; j += 2) {
            expect(texts[j + 1]).toBe(texts[j]?.replace('-first', '-second'))
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
