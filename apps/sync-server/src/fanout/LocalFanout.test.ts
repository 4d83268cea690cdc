import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { readSettings } from '../env.js'
import { SyncServer } from '../SyncServer.js'
import { SqliteStorage } from '../storage/SqliteStorage.js'
import { connectClient, type TestClient, waitFor } from '../testkit/clients.js'
import { tempDataDir } from '../testkit/serverProcess.js'
import { LocalFanout } from './LocalFanout.js'

const servers: SyncServer[] = []
const clients: TestClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const s of servers.splice(0)) await s.close()
})

async function node(dataDir: string, bus: LocalFanout): Promise<string> {
  const settings = readSettings({}, { port: '0', host: '127.0.0.1', data: dataDir, open: 'true' })
  const server = new SyncServer(settings, {
    logger: pino({ level: 'silent' }),
    storage: new SqliteStorage(dataDir),
    fanout: bus.node(),
  })
  servers.push(server)
  return `ws://127.0.0.1:${await server.listen()}`
}

// The storage and fan-out seams that the multi-node mode (issue 6) fills with PostgreSQL and
// Redis, exercised here with two nodes in one process sharing one SQLite file and a LocalFanout.
describe('two nodes behind the Fanout and RoomStorage interfaces', () => {
  it('relay updates and presence across nodes, and storage holds every edit', async () => {
    const dataDir = tempDataDir()
    const bus = new LocalFanout()
    const first = await node(dataDir, bus)
    const second = await node(dataDir, bus)
    const a = connectClient(first, 'shared')
    const b = connectClient(second, 'shared')
    clients.push(a, b)
    await Promise.all([a.firstSynced, b.firstSynced])
    for (let i = 0; i < 20; i++) {
      a.doc.getMap('m').set(`a${i}`, i)
      b.doc.getMap('m').set(`b${i}`, i)
    }
    await waitFor(
      () => a.doc.getMap('m').size === 40 && b.doc.getMap('m').size === 40,
      'cross-node relay',
    )
    a.provider.awareness.setLocalStateField('user', 'ada')
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 'cross-node presence')
    for (const c of clients.splice(0)) c.destroy()
    for (const s of servers.splice(0)) await s.close()

    const third = await node(dataDir, new LocalFanout())
    const fresh = connectClient(third, 'shared')
    clients.push(fresh)
    await fresh.firstSynced
    expect(fresh.doc.getMap('m').size).toBe(40)
  })
})
