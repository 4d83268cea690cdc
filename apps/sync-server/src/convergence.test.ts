import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, seededRandom, type TestClient, waitFor } from './testkit/clients.js'
import { contentOf, randomEdit } from './testkit/edits.js'
import { fuzzSeed } from './testkit/seeds.js'
import { freePort, type ServerProcess, startServer, tempDataDir } from './testkit/serverProcess.js'

/** Seeds that once failed; each is replayed on every run. */
// 798465933 failed once on a comparison that depended on Y.Map key order (a test bug, kept).
const REGRESSION_SEEDS: number[] = [798465933]
const CLIENTS = 4
const STEPS = 160

const clients: TestClient[] = []
let server: ServerProcess | undefined
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await server?.stop('SIGKILL')
})

const env = { CHAINMAP_UPDATE_RATE: '10000', CHAINMAP_UPDATE_BURST: '10000' }

async function run(seed: number): Promise<void> {
  const rng = seededRandom(seed)
  const port = await freePort()
  const dataDir = tempDataDir()
  const args = [
    '--compact-after',
    String(20 + Math.floor(rng() * 40)),
    '--room-hibernate-ms',
    String([0, 30, 10_000][Math.floor(rng() * 3)]),
  ]
  server = await startServer({ port, dataDir, env, args })
  const url = server.url
  for (let i = 0; i < CLIENTS; i++) clients.push(connectClient(url, 'converge'))
  await Promise.all(clients.map((c) => c.firstSynced))
  const restartAt = new Set([
    Math.floor(STEPS / 3) + Math.floor(rng() * 20),
    Math.floor((2 * STEPS) / 3),
  ])
  for (let step = 0; step < STEPS; step++) {
    const c = clients[Math.floor(rng() * clients.length)]!
    const roll = rng()
    if (roll < 0.06) c.provider.disconnect()
    else if (roll < 0.14) c.provider.connect()
    else randomEdit(c.doc, rng)
    if (restartAt.has(step)) {
      const signal = rng() < 0.5 ? 'SIGKILL' : 'SIGTERM'
      await server.stop(signal)
      // Clients keep editing while the server is down.
      for (let i = 0; i < 5; i++) randomEdit(clients[Math.floor(rng() * clients.length)]!.doc, rng)
      server = await startServer({ port, dataDir, env, args })
    }
    if (rng() < 0.3) await new Promise((resolve) => setTimeout(resolve, Math.floor(rng() * 15)))
  }
  for (const c of clients) c.provider.connect()
  const describeClients = () =>
    clients
      .map(
        (c, i) =>
          `#${i} connected=${c.provider.wsconnected} synced=${c.provider.synced} ` +
          `pending=${c.doc.store.pendingStructs !== null} ${contentOf(c.doc).slice(0, 160)}`,
      )
      .join('\n')
  await waitFor(
    () =>
      clients.every((c) => c.provider.synced && contentOf(c.doc) === contentOf(clients[0]!.doc)),
    `all clients to converge (seed ${seed})`,
    90_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${describeClients()}\n${server?.output().slice(-3000)}`)
  })
  const expected = contentOf(clients[0]!.doc)
  // Let the last relays commit, then restart: a fresh client loads purely from storage.
  await new Promise((resolve) => setTimeout(resolve, 100))
  for (const c of clients.splice(0)) c.destroy()
  expect(await server.stop('SIGTERM')).toBe(0)
  server = await startServer({ port, dataDir, env, args })
  const fresh = connectClient(server.url, 'converge')
  clients.push(fresh)
  await fresh.firstSynced
  expect(contentOf(fresh.doc), `fresh client from storage (seed ${seed})`).toBe(expected)
}

describe('seeded convergence fuzz with disconnects and server restarts', () => {
  it('all clients end identical, and identical to a fresh client loaded from storage', async () => {
    await run(fuzzSeed('convergence fuzz'))
  })
  for (const seed of REGRESSION_SEEDS) {
    it(`regression seed ${seed}`, async () => {
      await run(seed)
    })
  }
})
