import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { dropPostgresSchema } from './storage/dropPostgresSchema.js'
import { connectClient, type TestClient, waitFor } from './testkit/clients.js'
import { contentOf } from './testkit/edits.js'
import { metricValue } from './testkit/metrics.js'
import { proxiedDatabase } from './testkit/proxiedDatabase.js'
import { freePort, type ServerProcess, startServer, tempDataDir } from './testkit/serverProcess.js'
import { nodeEnv, services, uniqueName } from './testkit/services.js'
import { storedLastSeq } from './testkit/storedLastSeq.js'
import { TcpProxy } from './testkit/TcpProxy.js'
import { withPgClient } from './testkit/withPgClient.js'

const run = promisify(execFile)
const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js')
const env = services('multi-node on PostgreSQL + Redis')
const schemas: string[] = []
const clients: TestClient[] = []
const nodes: ServerProcess[] = []

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const n of nodes.splice(0)) await n.stop('SIGKILL')
})
afterAll(async () => {
  if (env) for (const schema of schemas) await dropPostgresSchema(env.databaseUrl, schema)
})

function cluster(
  base: Record<string, string> = {},
): (extra?: Record<string, string>, dataDir?: string) => Promise<ServerProcess> {
  if (!env) throw new Error('unreachable: suite skipped without DATABASE_URL/REDIS_URL')
  const name = uniqueName('mn')
  schemas.push(name)
  return async (extra = {}, dataDir = tempDataDir()) => {
    const node = await startServer({ env: nodeEnv(env, name, { ...base, ...extra }), dataDir })
    nodes.push(node)
    return node
  }
}

function client(node: ServerProcess, room: string): TestClient {
  const c = connectClient(node.url, room)
  clients.push(c)
  return c
}

async function catchUps(node: ServerProcess): Promise<number> {
  const text = await (await fetch(`${node.http}/metrics`)).text()
  const counts = [...text.matchAll(/^chainmap_sync_catch_ups_total\{reason="\w+"\} (\d+)/gm)]
  return counts.reduce((sum, match) => sum + Number(match[1]), 0)
}

/** Runs `work` with a connection to the schema of the cluster started last. */
async function withDatabase<T>(work: (db: pg.Client, schema: string) => Promise<T>): Promise<T> {
  if (!env) throw new Error('unreachable: suite skipped without DATABASE_URL/REDIS_URL')
  return withPgClient(env.databaseUrl, (db) => work(db, schemas.at(-1) ?? ''))
}

/** Makes PostgreSQL look like a standby that replicated only the room's first `kept` commits. */
async function keepOnlyFirstCommits(room: string, kept: number): Promise<void> {
  await withDatabase(async (db, schema) => {
    await db.query('BEGIN')
    await db.query(`DELETE FROM "${schema}".chainmap_updates WHERE room = $1 AND seq > $2`, [
      room,
      kept,
    ])
    await db.query(`UPDATE "${schema}".chainmap_rooms SET last_seq = $2 WHERE room = $1`, [
      room,
      kept,
    ])
    await db.query('COMMIT')
  })
}

/** The room's last stored number in the schema of the cluster started last. */
async function lastSeqOf(room: string): Promise<number> {
  if (!env) throw new Error('unreachable: suite skipped without DATABASE_URL/REDIS_URL')
  return storedLastSeq(env.databaseUrl, schemas.at(-1) ?? '', room)
}

async function readyz(node: ServerProcess): Promise<string> {
  try {
    const res = await fetch(`${node.http}/readyz`, { signal: AbortSignal.timeout(10_000) })
    return `${res.status} ${(await res.text()).trim()}`
  } catch (error) {
    return `no answer: ${(error as Error).message}`
  }
}

const keysOf = (c: TestClient) => Object.keys(c.doc.getMap('edits').toJSON())

// Skipped only when DATABASE_URL/REDIS_URL are missing outside CI; `services` says so loudly.
describe.skipIf(!env)('several chainmap-sync nodes on one PostgreSQL and one Redis', () => {
  it('readyz: 200 with both, 200 degraded without Redis, 503 without PostgreSQL', async () => {
    const start = cluster()
    const healthy = await start()
    expect(await readyz(healthy)).toBe('200 ready')
    const closed = `127.0.0.1:${await freePort()}`
    const noRedis = await start({ REDIS_URL: `redis://${closed}` })
    const degraded = await fetch(`${noRedis.http}/readyz`)
    expect(degraded.status).toBe(200)
    expect(await degraded.text()).toContain('degraded: fan-out unreachable')
    const noDatabase = await start({ DATABASE_URL: `postgres://postgres@${closed}/test` })
    const down = await fetch(`${noDatabase.http}/readyz`)
    expect(down.status).toBe(503)
    expect(await down.text()).toContain('storage unreachable')
  })

  it('clients on two nodes edit one room, converge, and see each other’s presence', async () => {
    const start = cluster()
    const [one, two] = await Promise.all([start(), start()])
    const a = client(one, 'shared')
    const b = client(two, 'shared')
    await Promise.all([a.firstSynced, b.firstSynced])
    for (let i = 0; i < 150; i++) {
      a.doc.getMap('edits').set(`a${i}`, i)
      b.doc.getMap('edits').set(`b${i}`, i)
      a.doc.getText('text').insert(0, 'a')
      b.doc.getText('text').insert(0, 'b')
      if (i % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await waitFor(
      () => keysOf(a).length === 300 && contentOf(a.doc) === contentOf(b.doc),
      'the two nodes’ clients to converge',
    )
    for (const node of [one, two]) {
      expect(await metricValue(node, 'chainmap_sync_storage_went_back_total')).toBe(0)
    }
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' })
    await waitFor(
      () => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada',
      'presence to cross nodes',
    )
    a.destroy()
    await waitFor(
      () => !b.provider.awareness.getStates().has(a.doc.clientID),
      'presence to leave with the client',
    )
  })

  it('a node killed mid-edit loses nothing it relayed: survivors and a fresh node see it all', async () => {
    const start = cluster({ CHAINMAP_COMPACT_AFTER: '150' })
    const [doomed, survivor] = await Promise.all([start(), start()])
    const writer = client(doomed, 'crash')
    const watcherOnDoomed = client(doomed, 'crash')
    const watcherOnSurvivor = client(survivor, 'crash')
    await Promise.all(clients.map((c) => c.firstSynced))
    const map = writer.doc.getMap<number>('edits')
    let written = 0
    const writing = (async () => {
      while (doomed.child.exitCode === null && doomed.child.signalCode === null) {
        for (let i = 0; i < 20; i++) map.set(`w${written++}`, written)
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
    })()
    await waitFor(() => keysOf(watcherOnDoomed).length > 600, 'edits to flow')
    expect(await doomed.stop('SIGKILL')).toBe('SIGKILL')
    await writing
    // Whatever reached a watcher was relayed by a node, hence committed first.
    const relayed = new Set([...keysOf(watcherOnDoomed), ...keysOf(watcherOnSurvivor)])
    expect(relayed.size).toBeGreaterThan(600)
    await waitFor(
      () => [...relayed].every((key) => watcherOnSurvivor.doc.getMap('edits').has(key)),
      'the survivor to hold every relayed edit',
    )
    const fresh = await start({}, tempDataDir())
    const late = client(fresh, 'crash')
    let keysAtFirstSync: string[] = []
    late.provider.on('sync', (synced: boolean) => {
      if (synced && keysAtFirstSync.length === 0) keysAtFirstSync = keysOf(late)
    })
    await late.firstSynced
    const missing = [...relayed].filter((key) => !keysAtFirstSync.includes(key))
    expect(missing, 'relayed edits a fresh node lacks at first sync').toEqual([])
    // The writer's client reconnects elsewhere (as behind a load balancer): its unsent edits arrive too.
    writer.provider.destroy()
    const moved = connectClient(survivor.url, 'crash', {}, writer.doc)
    clients.push(moved)
    await waitFor(
      () => keysOf(watcherOnSurvivor).length === written && keysOf(late).length === written,
      'every edit the writer made to reach every node',
    )
  })

  it('nodes converge through catch-up when cross-node messages are dropped or delayed', async () => {
    const start = cluster()
    const [lossy, deaf] = await Promise.all([
      // Half the messages lost, the rest delayed (and so reordered) by up to 80 ms.
      start({ CHAINMAP_TEST_FANOUT_DROP: '0.5', CHAINMAP_TEST_FANOUT_DELAY_MS: '80' }),
      // Nothing arrives through Redis at all: only storage can bring the other node's edits.
      start({ CHAINMAP_TEST_FANOUT_DROP: '1' }),
    ])
    const a = client(lossy, 'faulty')
    const b = client(deaf, 'faulty')
    await Promise.all([a.firstSynced, b.firstSynced])
    for (let i = 0; i < 120; i++) {
      a.doc.getMap('edits').set(`a${i}`, i)
      b.doc.getMap('edits').set(`b${i}`, i)
      a.doc.getText('text').insert(a.doc.getText('text').length, 'x')
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 7))
    }
    await waitFor(
      () => keysOf(a).length === 240 && contentOf(a.doc) === contentOf(b.doc),
      'nodes to converge despite the lost messages',
    )
    expect(await catchUps(deaf)).toBeGreaterThan(0)
    // Lost and reordered messages are gaps, never storage gone back.
    for (const node of [lossy, deaf]) {
      expect(await metricValue(node, 'chainmap_sync_storage_went_back_total')).toBe(0)
    }
  })

  it.each([
    {
      outage: 'cut',
      title:
        'a Redis outage (connections closed) only slows cross-node edits; presence crosses again once Redis is back',
    },
    {
      outage: 'stall',
      title:
        'a blackholed Redis (connections open, nothing answered): each node drops its unanswered link, edits cross through PostgreSQL, fan-out resumes once it heals',
    },
  ] as const)('$title', async ({ outage }) => {
    if (!env) return
    const redis = new URL(env.redisUrl)
    const proxy = await TcpProxy.start(redis.hostname, Number(redis.port || 6379))
    try {
      const start = cluster({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` })
      const [one, two] = await Promise.all([start(), start()])
      const a = client(one, `redis-${outage}`)
      const b = client(two, `redis-${outage}`)
      await Promise.all([a.firstSynced, b.firstSynced])
      a.doc.getMap('edits').set('before', 1)
      await waitFor(() => b.doc.getMap('edits').has('before'), 'an edit through Redis')
      proxy[outage]()
      // A stalled link gives no error and no close: only the unanswered ping tells.
      await waitFor(async () => (await readyz(one)).includes('degraded'), 'readyz to say degraded')
      for (let i = 0; i < 50; i++) {
        a.doc.getMap('edits').set(`a${i}`, i)
        b.doc.getMap('edits').set(`b${i}`, i)
      }
      await waitFor(
        () => keysOf(a).length === 101 && contentOf(a.doc) === contentOf(b.doc),
        'nodes to converge through PostgreSQL while Redis is unreachable',
      )
      if (outage === 'stall') {
        // The unanswered publishes made each node drop its publishing connection (so nothing
        // piles up behind it); the reconnect cannot finish while Redis is silent.
        for (const node of [one, two]) {
          await waitFor(
            async () =>
              /fan-out unreachable: redis is (connect|reconnecting)/.test(await readyz(node)),
            'the node to drop its unanswered Redis connection',
          )
        }
      }
      proxy.restore()
      await waitFor(async () => (await readyz(one)) === '200 ready', 'readyz to recover', 20_000)
      await waitFor(async () => (await readyz(two)) === '200 ready', 'readyz to recover', 20_000)
      // Presence travels only through Redis: it crossing now proves the node subscribes again.
      a.provider.awareness.setLocalStateField('user', { name: 'back' })
      await waitFor(
        () => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'back',
        'presence to cross nodes after the outage',
      )
      a.doc.getMap('edits').set('after', 1)
      await waitFor(() => contentOf(a.doc) === contentOf(b.doc), 'an edit after the outage')
    } finally {
      await proxy.close()
    }
  })

  it('a PostgreSQL outage relays nothing it could not store; once PostgreSQL is back the clients resend and nothing is lost', async () => {
    if (!env) return
    const { proxy, through } = await proxiedDatabase(env.databaseUrl)
    try {
      const start = cluster({ DATABASE_URL: through })
      const [one, two] = await Promise.all([start(), start()])
      const a = client(one, 'pg-outage')
      const b = client(two, 'pg-outage')
      await Promise.all([a.firstSynced, b.firstSynced])
      a.doc.getMap('edits').set('before', 1)
      await waitFor(() => b.doc.getMap('edits').has('before'), 'an edit before the outage')
      proxy.cut()
      for (let i = 0; i < 10; i++) a.doc.getMap('edits').set(`a${i}`, i)
      await waitFor(async () => (await readyz(one)).startsWith('503'), 'readyz to say not ready')
      // Nothing that could not be committed was relayed, to this node's peers or the other node.
      expect(keysOf(b)).toEqual(['before'])
      proxy.restore()
      await waitFor(
        () => keysOf(b).length === 11 && contentOf(a.doc) === contentOf(b.doc),
        'the edits made during the outage to arrive once PostgreSQL is back',
        60_000,
      )
      const fresh = client(await start(), 'pg-outage')
      await waitFor(() => keysOf(fresh).length === 11, 'a fresh node to load them from PostgreSQL')
    } finally {
      await proxy.close()
    }
  })

  it('PostgreSQL back without its last commits (an asynchronous standby promoted): the nodes write back what they held, nothing is lost', async () => {
    if (!env) return
    // Rooms stay loaded after their clients leave, so only the nodes hold the edits at the failover.
    const start = cluster({ CHAINMAP_ROOM_IDLE_MS: '600000' })
    const [one, two] = await Promise.all([start(), start()])
    const a = client(one, 'went-back')
    const b = client(two, 'went-back')
    await Promise.all([a.firstSynced, b.firstSynced])
    for (let i = 0; i < 10; i++) a.doc.getMap('edits').set(`w${i}`, i)
    await waitFor(() => keysOf(b).length === 10, 'the edits to reach the other node')
    a.destroy()
    b.destroy()
    // What a standby that replicated only the first three commits looks like once promoted. (The
    // connection drop of a real failover is the outage tested above.)
    await keepOnlyFirstCommits('went-back', 3)
    await waitFor(
      async () =>
        (await metricValue(one, 'chainmap_sync_storage_went_back_total')) === 1 &&
        (await metricValue(two, 'chainmap_sync_storage_went_back_total')) === 1,
      'both nodes to find that PostgreSQL went back',
    )
    const fresh = client(await start(), 'went-back')
    await waitFor(
      () => keysOf(fresh).length === 10,
      'a fresh node to load every edit from PostgreSQL',
    )
    // Numbering agrees again: edits keep crossing nodes, and nobody finds storage behind again.
    const again = client(two, 'went-back')
    await again.firstSynced
    again.doc.getMap('edits').set('after', 1)
    await waitFor(() => keysOf(fresh).length === 11, 'an edit after the recovery to cross nodes')
    await new Promise((resolve) => setTimeout(resolve, 600))
    for (const node of [one, two]) {
      expect(await metricValue(node, 'chainmap_sync_storage_went_back_total')).toBe(1)
    }
  })

  it('numbers handed out again before any node compared them: after the failover a compaction reads back what it would fold and finds them', async () => {
    if (!env) return
    const { proxy, through } = await proxiedDatabase(env.databaseUrl)
    try {
      const start = cluster()
      const [aware, deaf] = await Promise.all([
        start(),
        // Reaches PostgreSQL through the proxy, hears nothing through Redis and never compares
        // numbers: only its compaction can notice.
        start({
          DATABASE_URL: through,
          CHAINMAP_TEST_FANOUT_DROP: '1',
          CHAINMAP_CATCH_UP_INTERVAL_MS: '3600000',
          CHAINMAP_ROOM_IDLE_MS: '300',
        }),
      ])
      const b = client(deaf, 'overtaken')
      await b.firstSynced
      for (let i = 0; i < 10; i++) b.doc.getMap('edits').set(`w${i}`, i)
      await waitFor(async () => (await lastSeqOf('overtaken')) === 10, 'ten commits')
      // The failover: the primary goes (its connections drop), a standby with three commits takes over.
      proxy.cut()
      await keepOnlyFirstCommits('overtaken', 3)
      proxy.restore()
      // The other node loads the room afresh and its client's new edits take numbers 4–11.
      const a = client(aware, 'overtaken')
      await a.firstSynced
      for (let i = 0; i < 8; i++) a.doc.getMap('edits').set(`n${i}`, i)
      await waitFor(async () => (await lastSeqOf('overtaken')) === 11, 'the numbers taken again')
      // The deaf node's room, idle, compacts through 10 before unloading.
      b.destroy()
      await waitFor(
        async () => (await metricValue(deaf, 'chainmap_sync_rooms_loaded')) === 0,
        'the deaf node to unload the room',
      )
      const fresh = client(await start(), 'overtaken')
      await waitFor(() => keysOf(fresh).length === 18, 'a fresh node to load every edit')
      // Found by reading back what it would fold: edits new to it under numbers it had applied.
      expect(await metricValue(deaf, 'chainmap_sync_storage_went_back_total')).toBe(1)
    } finally {
      await proxy.close()
    }
  })

  it('export and restore work against PostgreSQL like against a data folder', async () => {
    if (!env) return
    const start = cluster()
    const node = await start()
    const writer = client(node, 'backup')
    await writer.firstSynced
    writer.doc.getText('t').insert(0, 'kept in postgres')
    await waitFor(() => writer.provider.synced, 'the edit to be sent')
    const file = join(tempDataDir(), 'backup.ydoc')
    const schema = schemas.at(-1) ?? ''
    const cliEnv = { PATH: process.env.PATH ?? '', ...nodeEnv(env, schema) }
    await waitFor(async () => {
      await run(process.execPath, [CLI, 'export', '--room', 'backup', '--file', file], {
        env: cliEnv,
      })
      const doc = new Y.Doc()
      Y.applyUpdate(doc, readFileSync(file))
      return doc.getText('t').toString() === 'kept in postgres'
    }, 'the export to hold the edit')
    await run(process.execPath, [CLI, 'restore', '--room', 'copy', '--file', file], { env: cliEnv })
    const reader = client(node, 'copy')
    await reader.firstSynced
    expect(reader.doc.getText('t').toString()).toBe('kept in postgres')
  })
})
