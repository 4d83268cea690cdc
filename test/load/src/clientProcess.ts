import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Job, JobResult } from './jobs.js'
import { writeSmallBoard } from './smallBoard.js'

// Stock y-websocket clients, one process for many of them; every latency is measured between two
// clients of the same room inside this process, so sender and receiver share one clock.
process.setMaxListeners(0)

interface Client {
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
}

function connect(url: string, room: string): Client {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  return { doc, provider }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return true
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function closeAll(clients: readonly Client[]): void {
  for (const c of clients) {
    c.provider.destroy()
    c.doc.destroy()
  }
}

async function fanout(job: Extract<Job, { kind: 'fanout' }>): Promise<JobResult> {
  const clients: Client[] = []
  const latencies: number[] = []
  let measuring = false
  let expected = 0
  let delivered = 0
  for (const room of job.rooms) {
    for (let i = 0; i < job.clientsPerRoom; i++) {
      const client = connect(job.url, room)
      clients.push(client)
      client.doc.getMap<{ t: number; m: boolean }>('cursor').observe((event, transaction) => {
        if (transaction.local) return
        const now = performance.now()
        for (const key of event.keysChanged) {
          const value = event.target.get(key) as { t: number; m: boolean } | undefined
          if (value?.m) {
            latencies.push(now - value.t)
            delivered++
          }
        }
      })
    }
  }
  await until(() => clients.every((c) => c.provider.synced), 60_000)
  const timers: NodeJS.Timeout[] = []
  const period = 1000 / job.rate
  clients.forEach((client, index) => {
    const key = `c${index}`
    const send = () => {
      const m = measuring
      if (m) expected += job.clientsPerRoom - 1
      client.doc
        .getMap('cursor')
        .set(key, { t: performance.now(), m, x: Math.random() * 1000, y: Math.random() * 800 })
    }
    // Random phase, so that clients do not all fire in the same millisecond.
    const start = setTimeout(() => timers.push(setInterval(send, period)), Math.random() * period)
    timers.push(start)
  })
  await sleep(job.warmupMs)
  measuring = true
  await sleep(job.durationMs)
  measuring = false
  for (const timer of timers) clearInterval(timer)
  // Late deliveries still count (with their latency); give up after 30 s.
  await until(() => delivered >= expected, 30_000)
  closeAll(clients)
  return { kind: 'fanout', latenciesMs: latencies, expected, delivered }
}

async function connections(job: Extract<Job, { kind: 'connections' }>): Promise<JobResult> {
  const clients: Client[] = []
  const started = performance.now()
  for (const room of job.rooms) {
    for (let i = 0; i < job.clientsPerRoom; i++) clients.push(connect(job.url, room))
    // Open in small waves, as real page loads arrive, not one SYN flood.
    if (clients.length % 100 === 0) await sleep(20)
  }
  await until(() => clients.every((c) => c.provider.synced), 120_000)
  const syncMs = performance.now() - started
  const synced = clients.filter((c) => c.provider.synced).length
  const connected = clients.filter((c) => c.provider.wsconnected).length
  // One update per room from its first client; every other client of the room must get it.
  let delivered = 0
  for (const c of clients) {
    c.doc.getMap('probe').observe((_event, transaction) => {
      if (!transaction.local) delivered++
    })
  }
  for (let r = 0; r < job.rooms.length; r++) {
    clients[r * job.clientsPerRoom]?.doc.getMap('probe').set('hello', r)
  }
  const expected = job.rooms.length * (job.clientsPerRoom - 1)
  await until(() => delivered >= expected, 30_000)
  process.send?.({ phase: 'holding' })
  await new Promise<void>((resolve) => process.once('message', () => resolve()))
  closeAll(clients)
  return { kind: 'connections', connected, synced, syncMs, expected, delivered }
}

async function boards(job: Extract<Job, { kind: 'boards' }>): Promise<JobResult> {
  let written = 0
  let boardBytes = 0
  for (let r = 0; r < job.rooms.length; r += 20) {
    const wave = job.rooms
      .slice(r, r + 20)
      .map((room) => ({ room, client: connect(job.url, room) }))
    await until(() => wave.every((w) => w.client.provider.synced), 30_000)
    for (const [i, { client }] of wave.entries()) {
      writeSmallBoard(client.doc, Y.Map, r + i)
      boardBytes = Y.encodeStateAsUpdate(client.doc).byteLength
    }
    // A second client per room confirms the server has the board (it was committed and relayed).
    const check = wave.map(({ room }) => connect(job.url, room))
    await until(
      () => check.every((c) => c.provider.synced && c.doc.getMap('records').size > 0),
      30_000,
    )
    written += check.filter((c) => c.doc.getMap('records').size > 0).length
    closeAll(wave.map((w) => w.client))
    closeAll(check)
  }
  return { kind: 'boards', written, boardBytes }
}

process.once('message', async (job: Job) => {
  const result =
    job.kind === 'fanout'
      ? await fanout(job)
      : job.kind === 'connections'
        ? await connections(job)
        : await boards(job)
  process.send?.({ phase: 'done', result }, () => process.exit(0))
})
