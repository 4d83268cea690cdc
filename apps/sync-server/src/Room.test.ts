import type { Duplex } from 'node:stream'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import * as Y from 'yjs'
import { AppendBatcher } from './AppendBatcher.js'
import { Connection } from './Connection.js'
import { LocalFanout } from './fanout/LocalFanout.js'
import { createMetrics } from './metrics.js'
import { readMessage } from './protocol/messages.js'
import { Room } from './Room.js'
import { SqliteStorage } from './storage/SqliteStorage.js'

const log = pino({ level: 'silent' })
const metrics = createMetrics(false)

/** A connection on a fake socket that keeps every frame sent to it. */
function fakeConnection(
  id: number,
  role: 'edit' | 'view' = 'edit',
): { connection: Connection; updates: () => Uint8Array[] } {
  const frames: Uint8Array[] = []
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send: (frame: Uint8Array) => frames.push(frame),
    close: () => {},
    terminate: () => {},
  } as unknown as WebSocket
  // Room broadcasts arrive as whole frames written to the socket: keep their payloads.
  const socket = {
    write: (wire: Buffer) =>
      frames.push(wire.subarray(wire[1] === 126 ? 4 : wire[1] === 127 ? 10 : 2)),
  } as unknown as Duplex
  const connection = new Connection(
    ws,
    socket,
    { id, room: 'r', role, ip: '127.0.0.1' },
    { maxQueuedBytes: 1 << 20, updateRate: 1000, updateBurst: 1000 },
    metrics,
    log,
  )
  const updates = () =>
    frames.flatMap((frame) => {
      const message = readMessage(frame)
      return message.type === 'update' ? [message.update] : []
    })
  return { connection, updates }
}

function edit(key: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('m').set(key, key)
  return Y.encodeStateAsUpdate(doc)
}

const storages: SqliteStorage[] = []

async function loadedRoom(
  options: {
    storage?: SqliteStorage
    fanout?: LocalFanout
    observeRelayDelay?: (seconds: number) => void
  } = {},
): Promise<{ room: Room; storage: SqliteStorage }> {
  const storage = options.storage ?? new SqliteStorage(':memory:')
  if (!options.storage) storages.push(storage)
  const room = new Room('r', {
    storage,
    batcher: new AppendBatcher(storage),
    fanout: (options.fanout ?? new LocalFanout()).node(),
    log,
    compactAfter: 1000,
    hibernateAfterMs: 60_000,
    onFailure: () => {},
    ...(options.observeRelayDelay ? { observeRelayDelay: options.observeRelayDelay } : {}),
  })
  await room.ready
  return { room, storage }
}

function keysOf(updates: readonly Uint8Array[]): string[] {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return [...doc.getMap('m').keys()].sort()
}

afterEach(async () => {
  for (const storage of storages.splice(0)) await storage.close()
})

describe('Room relay', () => {
  it('relays only after the commit, and updates committed together as one merged frame', async () => {
    const { room, storage } = await loadedRoom()
    const [a, b, c] = [fakeConnection(1), fakeConnection(2), fakeConnection(3)]
    for (const { connection } of [a, b, c]) room.join(connection)
    room.handle(a.connection, { type: 'update', update: edit('from-a') })
    room.handle(b.connection, { type: 'update', update: edit('from-b') })
    expect(c.updates()).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    // Two senders in one batch: everyone gets the one merged frame (a sender's own part is a no-op).
    expect(c.updates()).toHaveLength(1)
    expect(keysOf(c.updates())).toEqual(['from-a', 'from-b'])
    expect(keysOf(a.updates())).toEqual(['from-a', 'from-b'])
    expect((await storage.load('r')).updates).toHaveLength(2)
  })

  it('never echoes to the sender when the merged frame carries only its own updates', async () => {
    const { room } = await loadedRoom()
    const [a, b] = [fakeConnection(1), fakeConnection(2)]
    for (const { connection } of [a, b]) room.join(connection)
    room.handle(a.connection, { type: 'update', update: edit('one') })
    room.handle(a.connection, { type: 'update', update: edit('two') })
    await new Promise((resolve) => setImmediate(resolve))
    expect(b.updates()).toHaveLength(1)
    expect(keysOf(b.updates())).toEqual(['one', 'two'])
    expect(a.updates()).toEqual([])
  })
})

describe('Room relay delay', () => {
  const settled = () => new Promise((resolve) => setImmediate(resolve))

  it('observes each client update once, in seconds from when its frame was read, merged or not', async () => {
    const observed: number[] = []
    const { room } = await loadedRoom({ observeRelayDelay: (seconds) => observed.push(seconds) })
    const [a, b, c] = [fakeConnection(1), fakeConnection(2), fakeConnection(3)]
    for (const { connection } of [a, b, c]) room.join(connection)
    // Read 2 s and 1 s ago, committed and relayed together as one merged frame.
    const now = performance.now()
    room.handle(a.connection, { type: 'update', update: edit('one') }, now - 2000)
    room.handle(b.connection, { type: 'update', update: edit('two') }, now - 1000)
    await settled()
    expect(c.updates()).toHaveLength(1)
    expect(observed).toHaveLength(2)
    expect(observed[0]).toBeGreaterThanOrEqual(2)
    expect(observed[1]).toBeGreaterThanOrEqual(1)
    // Seconds, not milliseconds: the relay itself took far less than the 1 s between the two.
    expect(observed[0]! - observed[1]!).toBeCloseTo(1, 1)
  })

  it('observes neither the dropped edit of a view-only connection nor an update from another node', async () => {
    const fanout = new LocalFanout()
    const storage = new SqliteStorage(':memory:')
    storages.push(storage)
    const seenHere: number[] = []
    const seenThere: number[] = []
    const { room: here } = await loadedRoom({
      storage,
      fanout,
      observeRelayDelay: (s) => seenHere.push(s),
    })
    const { room: there } = await loadedRoom({
      storage,
      fanout,
      observeRelayDelay: (s) => seenThere.push(s),
    })
    const writer = fakeConnection(1)
    const viewer = fakeConnection(2, 'view')
    const remoteReader = fakeConnection(3)
    here.join(writer.connection)
    here.join(viewer.connection)
    there.join(remoteReader.connection)
    here.handle(viewer.connection, { type: 'update', update: edit('dropped') })
    here.handle(writer.connection, { type: 'update', update: edit('kept') })
    await settled()
    // The other node relayed it to its own connection, as another node's update.
    expect(keysOf(remoteReader.updates())).toEqual(['kept'])
    expect(seenHere).toHaveLength(1)
    expect(seenThere).toEqual([])
  })
})
