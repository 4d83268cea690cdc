import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
import { MERGE_LATE_RELAYS_FROM_CONNECTIONS } from './relay/RoomRelay.js'
import { SqliteStorage } from './storage/SqliteStorage.js'
import type { AppendEntry, RoomStorage } from './storage/storage.js'

const log = pino({ level: 'silent' })
const metrics = createMetrics(false)

/** A connection on a fake socket that keeps every frame sent to it. */
function fakeConnection(
  id: number,
  role: 'edit' | 'view' = 'edit',
): { connection: Connection; updates: () => Uint8Array[]; closedWith: () => number | undefined } {
  const frames: Uint8Array[] = []
  let closedWith: number | undefined
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send: (frame: Uint8Array) => frames.push(frame),
    close: (code: number) => {
      closedWith = code
    },
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
    {
      maxQueuedBytes: 1 << 20,
      updateRate: 1000,
      updateBurst: 1000,
      presenceRate: 1000,
      presenceBurst: 1000,
      byteRate: 1 << 30,
      byteBurst: 1 << 30,
    },
    metrics,
    log,
  )
  const updates = () =>
    frames.flatMap((frame) => {
      const message = readMessage(frame)
      return message.type === 'update' ? [message.update] : []
    })
  return { connection, updates, closedWith: () => closedWith }
}

function edit(key: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('m').set(key, key)
  return Y.encodeStateAsUpdate(doc)
}

const storages: SqliteStorage[] = []

async function loadedRoom(
  options: {
    storage?: RoomStorage
    fanout?: LocalFanout
    observeRelayDelay?: (seconds: number) => void
    onFailure?: (room: Room) => void
    onStorageWentBack?: () => void
  } = {},
): Promise<{ room: Room; storage: RoomStorage }> {
  const storage = options.storage ?? new SqliteStorage(':memory:')
  if (!options.storage) storages.push(storage as SqliteStorage)
  const room = new Room('r', {
    storage,
    presence: { maxStateBytes: 65536, maxClientsPerConnection: 4 },
    limits: { maxBytes: 1 << 30, maxItems: 1 << 30 },
    batcher: new AppendBatcher(storage),
    fanout: (options.fanout ?? new LocalFanout()).node(),
    log,
    compactAfter: 1000,
    hibernateAfterMs: 60_000,
    onFailure: options.onFailure ?? (() => {}),
    ...(options.observeRelayDelay ? { observeRelayDelay: options.observeRelayDelay } : {}),
    ...(options.onStorageWentBack ? { onStorageWentBack: options.onStorageWentBack } : {}),
  })
  await room.ready
  return { room, storage }
}

/** Runs the microtasks queued so far and those they queue, without ending the event-loop turn. */
async function settleMicrotasks(): Promise<void> {
  // The commit and the relay after a handle call take a few promise hops; 50 leave room to spare.
  for (let i = 0; i < 50; i++) await Promise.resolve()
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
    room.handle(a.connection, { type: 'update', items: 1, update: edit('from-a') })
    room.handle(b.connection, { type: 'update', items: 1, update: edit('from-b') })
    expect(c.updates()).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    // Two senders in one batch: everyone gets the one merged frame (a sender's own part is a no-op).
    expect(c.updates()).toHaveLength(1)
    expect(keysOf(c.updates())).toEqual(['from-a', 'from-b'])
    expect(keysOf(a.updates())).toEqual(['from-a', 'from-b'])
    expect((await storage.load('r')).updates).toHaveLength(2)
  })

  it("in a large room, relays a turn's first update at once and the updates ready later in that turn together at its end", async () => {
    const { room } = await loadedRoom()
    const everyone = Array.from({ length: MERGE_LATE_RELAYS_FROM_CONNECTIONS }, (_, i) =>
      fakeConnection(i + 1),
    )
    const [a, b, c] = everyone
    if (!a || !b || !c) throw new Error('the room needs three connections at least')
    for (const { connection } of everyone) room.join(connection)
    // Each handle call stands for its own socket read; the microtasks after it run as after an
    // I/O callback (commit, then relay), but no event-loop turn ends in between.
    room.handle(a.connection, { type: 'update', items: 1, update: edit('first') })
    await settleMicrotasks()
    expect(c.updates()).toHaveLength(1)
    room.handle(b.connection, { type: 'update', items: 1, update: edit('second') })
    await settleMicrotasks()
    room.handle(a.connection, { type: 'update', items: 1, update: edit('third') })
    await settleMicrotasks()
    expect(c.updates()).toHaveLength(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(c.updates()).toHaveLength(2)
    expect(keysOf(c.updates().slice(1))).toEqual(['second', 'third'])
    // The next turn starts afresh: its first update goes out at once again.
    room.handle(b.connection, { type: 'update', items: 1, update: edit('fourth') })
    await settleMicrotasks()
    expect(c.updates()).toHaveLength(3)
    expect(keysOf(c.updates().slice(2))).toEqual(['fourth'])
  })

  it('in a small room, relays each update as soon as it is committed', async () => {
    const { room } = await loadedRoom()
    const [a, b, c] = [fakeConnection(1), fakeConnection(2), fakeConnection(3)]
    for (const { connection } of [a, b, c]) room.join(connection)
    room.handle(a.connection, { type: 'update', items: 1, update: edit('first') })
    await settleMicrotasks()
    room.handle(b.connection, { type: 'update', items: 1, update: edit('second') })
    await settleMicrotasks()
    expect(c.updates()).toHaveLength(2)
    expect(keysOf(c.updates().slice(1))).toEqual(['second'])
  })

  it('never echoes to the sender when the merged frame carries only its own updates', async () => {
    const { room } = await loadedRoom()
    const [a, b] = [fakeConnection(1), fakeConnection(2)]
    for (const { connection } of [a, b]) room.join(connection)
    room.handle(a.connection, { type: 'update', items: 1, update: edit('one') })
    room.handle(a.connection, { type: 'update', items: 1, update: edit('two') })
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
    room.handle(a.connection, { type: 'update', items: 1, update: edit('one') }, now - 2000)
    room.handle(b.connection, { type: 'update', items: 1, update: edit('two') }, now - 1000)
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
    here.handle(viewer.connection, { type: 'update', items: 1, update: edit('dropped') })
    here.handle(writer.connection, { type: 'update', items: 1, update: edit('kept') })
    await settled()
    // The other node relayed it to its own connection, as another node's update.
    expect(keysOf(remoteReader.updates())).toEqual(['kept'])
    expect(seenHere).toHaveLength(1)
    expect(seenThere).toEqual([])
  })
})

/**
 * Shared storage (on disk) that can lose its last commits, as a standby promoted without them
 * would: it records every append and, on {@link loseCommitsAfter}, starts again from the first
 * `kept` of them, counting that as a disruption.
 */
class ForgetfulStorage implements RoomStorage {
  private current = ForgetfulStorage.open()
  private readonly appended: AppendEntry[] = []
  disruptions = 0

  private static open(): SqliteStorage {
    return new SqliteStorage(mkdtempSync(join(tmpdir(), 'cm-forgetful-')))
  }

  async loseCommitsAfter(kept: number): Promise<void> {
    await this.current.close()
    this.current = ForgetfulStorage.open()
    await this.current.append(this.appended.slice(0, kept))
    this.appended.splice(kept)
    this.disruptions++
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    const seqs = await this.current.append(entries)
    this.appended.push(...entries)
    return seqs
  }

  load = (room: string) => this.current.load(room)
  reads = 0
  readSince = (room: string, afterSeq: number) => {
    this.reads++
    return this.current.readSince(room, afterSeq)
  }
  lastSeqs = (rooms: readonly string[]) => this.current.lastSeqs(rooms)
  compact = (room: string, snapshot: Uint8Array, throughSeq: number) =>
    this.current.compact(room, snapshot, throughSeq)
  replace = (room: string, state: Uint8Array) => this.current.replace(room, state)
  ping = () => this.current.ping()
  close = () => this.current.close()
}

describe('Room when storage lost commits it had applied', () => {
  async function roomWithEdits(fanout = new LocalFanout(), count = 5, kept = 2) {
    const storage = new ForgetfulStorage()
    const failures: Room[] = []
    let wentBack = 0
    const { room } = await loadedRoom({
      storage,
      fanout,
      onFailure: (failed) => failures.push(failed),
      onStorageWentBack: () => wentBack++,
    })
    const [a, b] = [fakeConnection(1), fakeConnection(2)]
    room.join(a.connection)
    room.join(b.connection)
    for (let i = 0; i < count; i++) {
      room.handle(a.connection, { type: 'update', items: 1, update: edit(`e${i}`) })
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(room.appliedSeq).toBe(count)
    // Storage comes back from a failover holding only the first two.
    await storage.loseCommitsAfter(kept)
    expect((await storage.load('r')).updates).toHaveLength(kept)
    return { storage, room, a, b, failures, wentBack: () => wentBack }
  }

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5))
    expect(condition()).toBe(true)
  }

  async function storedKeys(storage: RoomStorage): Promise<string[]> {
    const stored = await storage.load('r')
    const doc = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const update of stored.updates) Y.applyUpdate(doc, update)
    return [...doc.getMap('m').keys()].sort()
  }

  it('an append numbered below what it applied writes the whole state back and reloads', async () => {
    const { storage, room, a, b, failures, wentBack } = await roomWithEdits()
    room.handle(b.connection, { type: 'update', items: 1, update: edit('after') })
    await until(() => failures.length === 1)
    expect(failures).toEqual([room])
    expect(wentBack()).toBe(1)
    // Nothing the room held is lost, and its clients reconnect to sync again.
    expect(await storedKeys(storage)).toEqual(['after', 'e0', 'e1', 'e2', 'e3', 'e4'])
    expect([a.closedWith(), b.closedWith()]).toEqual([1012, 1012])
    // The edit that revealed it was committed, so it was relayed.
    expect(keysOf(a.updates())).toContain('after')
    await storage.close()
  })

  it('a compaction storage refuses does the same', async () => {
    const { storage, room, a, failures, wentBack } = await roomWithEdits()
    // The compaction settles only once the state is written back: unloading a room (and shutting
    // down) compacts it and then frees it, and must not drop the write-back.
    await room.compact()
    expect(failures).toEqual([room])
    expect(wentBack()).toBe(1)
    expect(await storedKeys(storage)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4'])
    expect(a.closedWith()).toBe(1012)
    await storage.close()
  })

  it('an update from another node numbered within what it applied, yet new to it, does the same', async () => {
    const fanout = new LocalFanout()
    const { storage, room, failures, wentBack } = await roomWithEdits(fanout)
    // A room loaded afresh on another node numbers its new edits 3, 4, …: they take the lost
    // numbers again, before any comparison of numbers could notice.
    const { room: fresh } = await loadedRoom({ storage, fanout })
    const writer = fakeConnection(3)
    fresh.join(writer.connection)
    fresh.handle(writer.connection, { type: 'update', items: 1, update: edit('new') })
    await until(() => failures.length === 1)
    expect(failures).toEqual([room])
    expect(wentBack()).toBe(1)
    expect(await storedKeys(storage)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'new'])
    await storage.close()
  })

  it('a compaction first reads back what it folds: updates new to the room under its numbers make it resync', async () => {
    const { storage, room, failures, wentBack } = await roomWithEdits()
    // A room on another node, whose fan-out messages never reach this one, takes the lost numbers
    // 3–5 again: no number comparison can tell.
    const { room: elsewhere } = await loadedRoom({ storage })
    const writer = fakeConnection(3)
    elsewhere.join(writer.connection)
    for (const key of ['n1', 'n2', 'n3']) {
      elsewhere.handle(writer.connection, { type: 'update', items: 1, update: edit(key) })
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect((await storage.lastSeqs(['r'])).get('r')).toBe(5)
    await room.compact()
    expect(failures).toEqual([room])
    expect(wentBack()).toBe(1)
    // Nothing folded away: the log and the written-back state hold everything.
    expect(await storedKeys(storage)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'n1', 'n2', 'n3'])
    expect((await storage.load('r')).snapshot).toBeNull()
    await storage.close()
  })

  it('reads back a long log in slices and still finds an update new to it in the last one', async () => {
    const { storage, room, failures } = await roomWithEdits(new LocalFanout(), 250, 245)
    const { room: elsewhere } = await loadedRoom({ storage })
    const writer = fakeConnection(3)
    elsewhere.join(writer.connection)
    // Numbers 246–250 again, so storage itself would not refuse a compaction through 250.
    for (let i = 0; i < 5; i++) {
      elsewhere.handle(writer.connection, { type: 'update', items: 1, update: edit(`late${i}`) })
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect((await storage.lastSeqs(['r'])).get('r')).toBe(250)
    await room.compact()
    expect(failures).toEqual([room])
    expect(await storedKeys(storage)).toHaveLength(255)
    await storage.close()
  })

  it('reads back from the stored snapshot, as the room’s own last compaction may be lost too', async () => {
    const storage = new ForgetfulStorage()
    const failures: Room[] = []
    const { room } = await loadedRoom({ storage, onFailure: (failed) => failures.push(failed) })
    const a = fakeConnection(1)
    room.join(a.connection)
    const edits = Array.from({ length: 7 }, (_, i) => edit(`e${i}`))
    for (const [i, update] of edits.entries()) {
      room.handle(a.connection, { type: 'update', items: 1, update })
      await new Promise((resolve) => setImmediate(resolve))
      if (i === 4) await room.compact()
    }
    // The standby had three appends and not the compaction through 5. Another node's new edits
    // take 4 and 5; 6 and 7 happen to repeat what the room holds.
    await storage.loseCommitsAfter(3)
    const { room: elsewhere } = await loadedRoom({ storage })
    const writer = fakeConnection(2)
    elsewhere.join(writer.connection)
    for (const update of [edit('n1'), edit('n2'), edits[5], edits[6]]) {
      elsewhere.handle(writer.connection, {
        type: 'update',
        items: 1,
        update: update as Uint8Array,
      })
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect((await storage.lastSeqs(['r'])).get('r')).toBe(7)
    await room.compact()
    expect(failures).toEqual([room])
    expect(await storedKeys(storage)).toEqual([
      'e0',
      'e1',
      'e2',
      'e3',
      'e4',
      'e5',
      'e6',
      'n1',
      'n2',
    ])
    await storage.close()
  })

  it('after a disruption, a snapshot another node folded with edits the room has not seen proves nothing', async () => {
    const storage = new ForgetfulStorage()
    let reloads = 0
    const { room } = await loadedRoom({ storage, onStorageWentBack: () => reloads++ })
    const a = fakeConnection(1)
    room.join(a.connection)
    for (let i = 0; i < 5; i++) {
      room.handle(a.connection, { type: 'update', items: 1, update: edit(`e${i}`) })
      await new Promise((resolve) => setImmediate(resolve))
    }
    // Another node folded through 4 a document that also held an edit not yet committed there.
    const folded = new Y.Doc()
    for (const key of ['e0', 'e1', 'e2', 'e3', 'unseen']) Y.applyUpdate(folded, edit(key))
    await storage.compact('r', Y.encodeStateAsUpdate(folded), 4)
    storage.disruptions++
    await room.compact()
    expect(reloads).toBe(0)
    expect(a.closedWith()).toBeUndefined()
    // Merged and relayed (it is stored), and folded into this room's snapshot.
    expect(keysOf(a.updates())).toContain('unseen')
    expect((await storage.load('r')).updates).toEqual([])
    expect(await storedKeys(storage)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'unseen'])
    await storage.close()
  })

  it('a room whose storage kept everything compacts, appends and hears repeats, and never reloads', async () => {
    const fanout = new LocalFanout()
    // On disk, so appends go through the journal's numbering.
    const storage = new ForgetfulStorage()
    let reloads = 0
    const watched = { storage, fanout, onStorageWentBack: () => reloads++ }
    const { room } = await loadedRoom(watched)
    const { room: other } = await loadedRoom(watched)
    const a = fakeConnection(1)
    const b = fakeConnection(2)
    room.join(a.connection)
    other.join(b.connection)
    const edits: Uint8Array[] = []
    for (let i = 0; i < 7; i++) {
      edits.push(edit(`e${i}`))
      const [to, from] = i % 2 ? [other, b] : [room, a]
      to.handle(from.connection, { type: 'update', items: 1, update: edits[i] as Uint8Array })
      await new Promise((resolve) => setImmediate(resolve))
      if (i === 4) {
        // A disruption that lost nothing (a restart): the compaction reads back and finds no news.
        storage.disruptions++
        const readsBefore = storage.reads
        await room.compact()
        expect(storage.reads).toBeGreaterThan(readsBefore)
      }
    }
    await other.catchUp()
    // A fan-out message repeated after a catch-up already applied it changes nothing.
    fanout.node().publish('r', { kind: 'update', seq: 2, update: edits[1] as Uint8Array })
    expect([room.appliedSeq, other.appliedSeq]).toEqual([7, 7])
    expect(reloads).toBe(0)
    expect([a.closedWith(), b.closedWith()]).toEqual([undefined, undefined])
    expect(await storedKeys(storage)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6'])
    await storage.close()
  })
})
