import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, type TestClient, waitFor } from './testkit/clients.js'
import { metricValue } from './testkit/metrics.js'
import { type ServerProcess, startServer } from './testkit/serverProcess.js'
import { missingPrerequisite, nodeEnv, services, uniqueName } from './testkit/services.js'
import { storedLastSeq } from './testkit/storedLastSeq.js'
import { TcpProxy } from './testkit/TcpProxy.js'
import { postgresBinDir, TempPostgres } from './testkit/TempPostgres.js'

const suite = 'a real PostgreSQL standby promoted under running nodes'
const env = services(suite, ['REDIS_URL'])
const bin = postgresBinDir()
if (!bin) {
  missingPrerequisite(
    suite,
    "PostgreSQL's server programs",
    'install them (Debian: postgresql; `pg_config --bindir` must hold initdb and pg_basebackup)',
  )
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function lastSeq(databaseUrl: string, schema: string, room: string): Promise<number> {
  // Polled: a connection per call, at most ten a second.
  await new Promise((resolve) => setTimeout(resolve, 100))
  return storedLastSeq(databaseUrl, schema, room)
}

const keysOf = (c: TestClient) => Object.keys(c.doc.getMap('edits').toJSON())

// Skipped only when Redis or PostgreSQL's server programs are missing outside CI; the lines above say so loudly.
describe.skipIf(!env || !bin)(suite, () => {
  it('the standby missed the last commits: the nodes write back what they held, the new primary ends up with every edit', async () => {
    if (!env || !bin) return
    const primary = await TempPostgres.primary(bin)
    cleanups.push(() => primary.destroy())
    // The standby replicates through a link the test can cut, so it falls behind on purpose.
    const replication = await TcpProxy.start('127.0.0.1', primary.port)
    cleanups.push(() => replication.close())
    const standby = await TempPostgres.standbyOf(bin, replication.port)
    cleanups.push(() => standby.destroy())
    // The address the nodes know the database by: a virtual IP or a pooler that the failover repoints.
    const service = await TcpProxy.start('127.0.0.1', primary.port)
    cleanups.push(() => service.close())

    const schema = uniqueName('failover')
    const cluster = {
      databaseUrl: `postgres://postgres@127.0.0.1:${service.port}/postgres`,
      redisUrl: env.redisUrl,
    }
    const nodes: ServerProcess[] = []
    const clients: TestClient[] = []
    cleanups.push(async () => {
      for (const c of clients) c.destroy()
      for (const node of nodes) await node.stop('SIGKILL')
    })
    const startNode = async () => {
      // Rooms stay loaded after their clients leave, so only the nodes hold the edits at the failover.
      const node = await startServer({
        env: nodeEnv(cluster, schema, { CHAINMAP_ROOM_IDLE_MS: '600000' }),
      })
      nodes.push(node)
      return node
    }
    const client = (node: ServerProcess) => {
      const c = connectClient(node.url, 'promoted')
      clients.push(c)
      return c
    }

    const [one, two] = await Promise.all([startNode(), startNode()])
    const a = client(one)
    const b = client(two)
    await Promise.all([a.firstSynced, b.firstSynced])
    for (let i = 0; i < 10; i++) a.doc.getMap('edits').set(`before${i}`, i)
    await waitFor(() => keysOf(b).length === 10, 'the first edits to cross nodes')
    await waitFor(
      async () => (await lastSeq(standby.url(), schema, 'promoted')) === 10,
      'the standby to replay the first ten commits',
    )

    replication.cut()
    for (let i = 0; i < 8; i++) b.doc.getMap('edits').set(`unreplicated${i}`, i)
    await waitFor(() => keysOf(a).length === 18, 'the unreplicated edits to cross nodes')
    expect(await lastSeq(primary.url(), schema, 'promoted')).toBe(18)
    expect(await lastSeq(standby.url(), schema, 'promoted')).toBe(10)
    // The clients leave: what the standby missed is now only in the nodes' rooms.
    a.destroy()
    b.destroy()

    // The failover: the primary dies, the standby is promoted and the service address repointed.
    await primary.crash()
    await standby.promote()
    service.retarget('127.0.0.1', standby.port)
    service.cut()
    service.restore()

    await waitFor(
      async () =>
        (await metricValue(one, 'chainmap_sync_storage_went_back_total')) === 1 &&
        (await metricValue(two, 'chainmap_sync_storage_went_back_total')) === 1,
      'both nodes to find that the new primary lacks commits they applied',
    )
    await waitFor(
      async () => (await lastSeq(standby.url(), schema, 'promoted')) > 10,
      'the write-back to reach the new primary',
    )
    const fresh = client(await startNode())
    await waitFor(() => keysOf(fresh).length === 18, 'a fresh node to load every edit')
    // Numbering agrees again: new clients edit across the nodes, and nobody finds storage behind again.
    const again = client(one)
    await again.firstSynced
    again.doc.getMap('edits').set('after', 1)
    await waitFor(() => keysOf(fresh).length === 19, 'an edit after the failover to cross nodes')
    const onTwo = client(two)
    await waitFor(() => keysOf(onTwo).length === 19, 'the other node to hold every edit')
    for (const node of [one, two]) {
      expect(await metricValue(node, 'chainmap_sync_storage_went_back_total')).toBe(1)
    }
  })
})
