import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, type TestClient, waitFor } from './testkit/clients.js'
import { type ServerProcess, startServer } from './testkit/serverProcess.js'

const UPDATES = 3000
const clients: TestClient[] = []
const servers: ServerProcess[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const s of servers.splice(0)) await s.stop('SIGKILL')
})

const fast = { CHAINMAP_UPDATE_RATE: '100000', CHAINMAP_UPDATE_BURST: '100000' }

describe('durability', () => {
  it('a SIGKILL right after relaying thousands of updates loses none of them', async () => {
    const first = await startServer({ env: fast, args: ['--compact-after', '700'] })
    servers.push(first)
    const writer = connectClient(first.url, 'durable')
    const reader = connectClient(first.url, 'durable')
    clients.push(writer, reader)
    await Promise.all([writer.firstSynced, reader.firstSynced])
    const map = writer.doc.getMap<number>('edits')
    for (let i = 0; i < UPDATES; i++) {
      map.set(`e${i}`, i)
      if (i % 200 === 199) await new Promise((resolve) => setImmediate(resolve))
    }
    const received = reader.doc.getMap<number>('edits')
    await waitFor(() => received.size === UPDATES, `reader to receive ${UPDATES} updates`, 90_000)
    // The reader has every update: the server relayed them all. Kill it without warning.
    expect(await first.stop('SIGKILL')).toBe('SIGKILL')
    writer.destroy()
    reader.destroy()

    const second = await startServer({ port: first.port, dataDir: first.dataDir, env: fast })
    servers.push(second)
    const fresh = connectClient(second.url, 'durable')
    clients.push(fresh)
    let sizeAtFirstSync = -1
    fresh.provider.on('sync', (synced: boolean) => {
      if (synced && sizeAtFirstSync < 0) sizeAtFirstSync = fresh.doc.getMap('edits').size
    })
    await fresh.firstSynced
    expect(sizeAtFirstSync).toBe(UPDATES)
    for (let i = 0; i < UPDATES; i++) expect(fresh.doc.getMap('edits').get(`e${i}`)).toBe(i)
  })

  it('SIGTERM closes clients with 1012, keeps their edits, exits 0, and they reconnect', async () => {
    const first = await startServer({ env: fast })
    servers.push(first)
    const a = connectClient(first.url, 'graceful')
    clients.push(a)
    await a.firstSynced
    const codes: number[] = []
    a.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) codes.push(event.code)
    })
    for (let i = 0; i < 100; i++) a.doc.getArray<number>('list').push([i])
    const b = connectClient(first.url, 'graceful')
    clients.push(b)
    await waitFor(() => b.doc.getArray('list').length === 100, 'b to receive the list')
    expect(await first.stop('SIGTERM')).toBe(0)
    await waitFor(() => codes.length > 0, 'a to see the close')
    expect(codes[0]).toBe(1012)
    const second = await startServer({ port: first.port, dataDir: first.dataDir, env: fast })
    servers.push(second)
    // The stock client reconnects by itself to the restarted server.
    await waitFor(() => a.provider.synced, 'a to reconnect and sync', 45_000)
    const fresh = connectClient(second.url, 'graceful')
    clients.push(fresh)
    await fresh.firstSynced
    expect(fresh.doc.getArray('list').toArray()).toEqual([...Array(100).keys()])
  })
})
