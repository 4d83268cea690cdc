import * as Y from 'yjs'
import { type Client, connect } from './clients.js'
import type { Job, JobResult, ServerKind } from './jobs.js'
import { type Cursor, type CursorClient, lightClient } from './lightClient.js'
import { writeSmallBoard } from './smallBoard.js'

// Many stock clients in one process, driven by the bench over IPC, one command at a time. Latency
// is measured only between a sender and a receiver inside this process, so both read one clock.
process.setMaxListeners(0)

interface OpenClient {
  readonly room: string
  readonly key: string
  /** The stock client (absent for light clients, which hold no document). */
  readonly client: Client | undefined
  readonly cursor: CursorClient
}

const TAG = `${process.pid}-${Math.random().toString(36).slice(2)}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(condition: () => boolean, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) return false
    await sleep(pollMs)
  }
  return true
}

let open: OpenClient[] = []
let roomSize = 0
let allLocal = true
const latencies: number[] = []
let delivered = 0

function closeAll(clients: readonly { destroy(): void }[]): void {
  for (const client of clients) client.destroy()
}

/** Stock clients keep cursors in a Y.Map, one entry per client, set from its own key. */
function stockCursorClient(client: Client): CursorClient {
  const map = client.doc.getMap<Cursor & { x: number; y: number }>('cursor')
  return {
    synced: () => client.synced(),
    sendCursor: (cursor) =>
      map.set(cursor.key, {
        ...cursor,
        x: Math.random() * 1000,
        y: Math.random() * 800,
      }),
    onCursor: (listener) =>
      map.observe((event, transaction) => {
        if (transaction.local) return
        for (const key of event.keysChanged) {
          const value = event.target.get(key)
          if (value) listener(value)
        }
      }),
    destroy: () => client.destroy(),
  }
}

function countCursors(cursor: CursorClient, ownKey: string): void {
  const seen = new Map<string, number>()
  cursor.onCursor((value) => {
    // Some servers echo an update to its sender too; a stock client ignores it as already known.
    if (value.key === ownKey) return
    const now = performance.now()
    // Counting by the sender's sequence stays right even if a server (or a stock client's
    // observer) merges two updates into one. A new run restarts the count from 0.
    const before = seen.get(value.key) ?? value.n
    seen.set(value.key, value.n)
    if (value.n > before) {
      delivered += value.n - before
      if (value.key.startsWith(TAG)) latencies.push(now - value.t)
    }
  })
}

async function openClients(job: Extract<Job, { kind: 'open' }>): Promise<JobResult> {
  roomSize = job.roomSize ?? job.clientsPerRoom
  allLocal = roomSize === job.clientsPerRoom
  for (const room of job.rooms) {
    for (let i = 0; i < job.clientsPerRoom; i++) {
      const client = job.light ? undefined : connect(job.server, job.url, room)
      const cursor = client ? stockCursorClient(client) : lightClient(job.server, job.url, room)
      const key = `${TAG}-${open.length}`
      countCursors(cursor, key)
      open.push({ room, key, client, cursor })
      // Open in small waves, as real page loads arrive, not one SYN flood.
      if (open.length % 100 === 0) await sleep(20)
    }
  }
  await until(() => open.every((o) => o.cursor.synced()), 60_000)
  return {
    kind: 'open',
    synced: open.filter((o) => o.cursor.synced()).length,
    clients: open.length,
  }
}

async function run(job: Extract<Job, { kind: 'run' }>): Promise<JobResult> {
  latencies.length = 0
  delivered = 0
  let measuring = false
  let expected = 0
  const period = 1000 / job.rate
  const start = performance.now()
  const senders = open.map(({ key, cursor }) => ({
    key,
    cursor,
    n: 0,
    // Random phase, so that clients do not all fire in the same millisecond.
    due: start + Math.random() * period,
  }))
  // One clock for every client of the process, open loop: each tick sends every update that is
  // due by now, so a late tick (a busy event loop) catches up instead of lowering the rate.
  const tick = () => {
    const now = performance.now()
    for (const sender of senders) {
      while (sender.due <= now) {
        sender.due += period
        // Unmeasured updates repeat the sequence number, so receivers do not count them.
        if (measuring) {
          sender.n++
          expected += roomSize - 1
        }
        sender.cursor.sendCursor({ key: sender.key, n: sender.n, t: performance.now() })
      }
    }
  }
  const ticker = setInterval(tick, 1)
  await sleep(job.warmupMs)
  // Warm-up updates carry n = 0 and are never counted. Counters are not reset here: another
  // process may already have started its measured window and delivered to clients here.
  measuring = true
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  await sleep(job.durationMs)
  measuring = false
  const cpuUsed = process.cpuUsage(cpuBefore)
  const cpu = (cpuUsed.user + cpuUsed.system) / 1000 / (performance.now() - started)
  clearInterval(ticker)
  // Late deliveries still count (with their latency). When every receiver is here, wait for all of
  // them; otherwise until none has arrived for 2 s. Give up after 30 s.
  const deadline = performance.now() + 30_000
  let last = delivered
  let quietSince = performance.now()
  while (performance.now() < deadline) {
    if (allLocal && delivered >= expected) break
    await sleep(50)
    if (delivered !== last) {
      last = delivered
      quietSince = performance.now()
    } else if (!allLocal && performance.now() - quietSince > 2000) break
  }
  return { kind: 'run', latenciesMs: [...latencies], expected, delivered, cpu }
}

const ROOM_KEY = 'numbers'

/** The stock clients of the open ones: writing and counting numbered updates needs their documents. */
function stockClients(): { room: string; client: Client }[] {
  return open.map(({ room, client }) => {
    if (!client) throw new Error('write and count need stock clients (open without light)')
    return { room, client }
  })
}

async function write(job: Extract<Job, { kind: 'write' }>): Promise<JobResult> {
  const byRoom = new Map<string, Client[]>()
  for (const o of stockClients()) byRoom.set(o.room, [...(byRoom.get(o.room) ?? []), o.client])
  for (let i = 0; i < job.updates; i++) {
    for (const [, clients] of byRoom) clients[0]?.doc.getMap<number>(ROOM_KEY).set(`u${i}`, i)
    await sleep(job.intervalMs)
  }
  // The second client of each room sees the relays: once all are there, report at once.
  const watchers = [...byRoom.values()].map((clients) => clients[1] ?? clients[0])
  await until(
    () => watchers.every((c) => (c?.doc.getMap(ROOM_KEY).size ?? 0) >= job.updates),
    30_000,
    1,
  )
  const relayed = Math.min(...watchers.map((c) => c?.doc.getMap(ROOM_KEY).size ?? 0))
  return { kind: 'write', relayed }
}

function count(): JobResult {
  const rooms = new Map<string, number>()
  for (const o of stockClients()) rooms.set(o.room, o.client.doc.getMap(ROOM_KEY).size)
  return { kind: 'count', found: [...rooms.values()].reduce((s, n) => s + n, 0) }
}

async function boards(job: Extract<Job, { kind: 'boards' }>): Promise<JobResult> {
  let written = 0
  let boardBytes = 0
  const server: ServerKind = job.server
  for (let r = 0; r < job.rooms.length; r += 20) {
    const wave = job.rooms
      .slice(r, r + 20)
      .map((room) => ({ room, client: connect(server, job.url, room) }))
    await until(() => wave.every((w) => w.client.synced()), 30_000)
    for (const [i, { client }] of wave.entries()) {
      writeSmallBoard(client.doc, Y.Map, r + i)
      boardBytes = Y.encodeStateAsUpdate(client.doc).byteLength
    }
    // A second client per room confirms the server has the board (it was relayed to a newcomer).
    const check = wave.map(({ room }) => connect(server, job.url, room))
    await until(() => check.every((c) => c.synced() && c.doc.getMap('records').size > 0), 30_000)
    written += check.filter((c) => c.doc.getMap('records').size > 0).length
    closeAll(check)
    if (job.hold) {
      for (const { room, client } of wave) {
        open.push({ room, key: room, client, cursor: stockCursorClient(client) })
      }
    } else {
      closeAll(wave.map((w) => w.client))
    }
  }
  return { kind: 'boards', written, boardBytes }
}

let release: () => void = () => {}

async function connections(job: Extract<Job, { kind: 'connections' }>): Promise<JobResult> {
  const clients: Client[] = []
  const started = performance.now()
  for (const room of job.rooms) {
    for (let i = 0; i < job.clientsPerRoom; i++) clients.push(connect('chainmap', job.url, room))
    if (clients.length % 100 === 0) await sleep(20)
  }
  await until(() => clients.every((c) => c.synced()), 120_000)
  const syncMs = performance.now() - started
  const synced = clients.filter((c) => c.synced()).length
  const connected = clients.filter((c) => c.connected()).length
  // One update per room from its first client; every other client of the room must get it.
  let probes = 0
  for (const c of clients) {
    c.doc.getMap('probe').observe((_event, transaction) => {
      if (!transaction.local) probes++
    })
  }
  for (let r = 0; r < job.rooms.length; r++) {
    clients[r * job.clientsPerRoom]?.doc.getMap('probe').set('hello', r)
  }
  const expected = job.rooms.length * (job.clientsPerRoom - 1)
  await until(() => probes >= expected, 30_000)
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  process.send?.({ phase: 'holding' })
  await held
  closeAll(clients)
  return { kind: 'connections', connected, synced, syncMs, expected, delivered: probes }
}

async function handle(job: Job): Promise<JobResult> {
  switch (job.kind) {
    case 'open':
      return openClients(job)
    case 'run':
      return run(job)
    case 'write':
      return write(job)
    case 'count':
      return count()
    case 'boards':
      return boards(job)
    case 'connections':
      return connections(job)
    case 'close':
      closeAll(open.map((o) => o.cursor))
      open = []
      return { kind: 'close' }
  }
}

process.on('message', (message: Job | 'release' | 'exit') => {
  if (message === 'release') return release()
  if (message === 'exit') process.exit(0)
  handle(message).then(
    (result) => process.send?.({ phase: 'done', result }),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
})
