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
function fakeConnection(id: number): { connection: Connection; updates: () => Uint8Array[] } {
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
    { id, room: 'r', role: 'edit', ip: '127.0.0.1' },
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

async function loadedRoom(): Promise<{ room: Room; storage: SqliteStorage }> {
  const storage = new SqliteStorage(':memory:')
  storages.push(storage)
  const room = new Room('r', {
    storage,
    batcher: new AppendBatcher(storage),
    fanout: new LocalFanout().node(),
    log,
    compactAfter: 1000,
    hibernateAfterMs: 60_000,
    onFailure: () => {},
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
