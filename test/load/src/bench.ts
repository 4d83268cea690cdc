import { fork } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Job, JobResult } from './jobs.js'
import { type ServerUnderTest, startChainmapSync, startClassic } from './processes.js'
import { SMALL_BOARD } from './smallBoard.js'
import { type LatencySummary, summarize } from './stats.js'

const WORKER = fileURLToPath(new URL('./clientProcess.js', import.meta.url))
const CLIENT_PROCESSES = 2

const quick = process.argv.includes('--quick')
const scale = quick ? 0.25 : 1

interface Worker {
  readonly result: Promise<JobResult>
  /** Resolves when a `connections` job holds all its connections open. */
  readonly holding: Promise<void>
  release(): void
}

function runWorker(job: Job): Worker {
  const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let onHolding: () => void = () => {}
  const holding = new Promise<void>((resolve) => {
    onHolding = resolve
  })
  const result = new Promise<JobResult>((resolve, reject) => {
    child.on('message', (message: { phase: string; result?: JobResult }) => {
      if (message.phase === 'holding') onHolding()
      if (message.phase === 'done' && message.result) resolve(message.result)
    })
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`client process exited with ${code}`))
    })
  })
  child.send(job)
  return { result, holding, release: () => child.send('release') }
}

function split<T>(items: readonly T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, p) => items.filter((_, i) => i % parts === p))
}

const rooms = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}`)

async function metric(server: ServerUnderTest, name: string): Promise<number> {
  const text = await (await fetch(`${server.http}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? Number.NaN)
}

/** JS heap in use plus memory outside the heap (Uint8Array contents live there). */
async function heapAndExternal(server: ServerUnderTest): Promise<number> {
  return (
    (await metric(server, 'chainmap_sync_nodejs_heap_size_used_bytes')) +
    (await metric(server, 'chainmap_sync_nodejs_external_memory_bytes'))
  )
}

const MiB = 1024 * 1024
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a')

async function connectionsScenario(): Promise<string[]> {
  const roomCount = Math.round(200 * scale)
  const perRoom = 10
  const server = await startChainmapSync()
  try {
    const rssBefore = server.rss()
    const workers = split(rooms('conn', roomCount), CLIENT_PROCESSES).map((part) =>
      runWorker({ kind: 'connections', url: server.url, rooms: part, clientsPerRoom: perRoom }),
    )
    await Promise.all(workers.map((w) => w.holding))
    const open = await metric(server, 'chainmap_sync_connections')
    const rssHeld = server.rss()
    for (const w of workers) w.release()
    const results = (await Promise.all(workers.map((w) => w.result))) as Extract<
      JobResult,
      { kind: 'connections' }
    >[]
    const total = roomCount * perRoom
    const synced = results.reduce((s, r) => s + r.synced, 0)
    const delivered = results.reduce((s, r) => s + r.delivered, 0)
    const expected = results.reduce((s, r) => s + r.expected, 0)
    const syncS = Math.max(...results.map((r) => r.syncMs)) / 1000
    return [
      `| connections | rooms | open at server | synced | time to all synced | probe update delivered | server RSS idle → loaded |`,
      `| --- | --- | --- | --- | --- | --- | --- |`,
      `| ${total} | ${roomCount} | ${open} | ${synced} | ${fmt(syncS)} s | ${delivered}/${expected} | ${fmt(rssBefore / MiB)} → ${fmt(rssHeld / MiB)} MiB |`,
    ]
  } finally {
    await server.stop()
  }
}

async function fanoutOn(server: ServerUnderTest): Promise<{
  latencies: number[]
  summary: LatencySummary
  delivered: number
  expected: number
  rss: number
}> {
  const roomCount = Math.round(40 * scale)
  const workers = split(rooms('fan', roomCount), CLIENT_PROCESSES).map((part) =>
    runWorker({
      kind: 'fanout',
      url: server.url,
      rooms: part,
      clientsPerRoom: 8,
      rate: 4,
      warmupMs: 3000,
      durationMs: quick ? 5000 : 10_000,
    }),
  )
  let peakRss = 0
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, server.rss())
  }, 500)
  const results = (await Promise.all(workers.map((w) => w.result))) as Extract<
    JobResult,
    { kind: 'fanout' }
  >[]
  clearInterval(sampler)
  const latencies = results.flatMap((r) => r.latenciesMs)
  return {
    latencies,
    summary: summarize(latencies),
    delivered: results.reduce((s, r) => s + r.delivered, 0),
    expected: results.reduce((s, r) => s + r.expected, 0),
    rss: peakRss,
  }
}

async function fanoutScenario(): Promise<string[]> {
  const rounds = quick ? 1 : 3
  const lines = [
    `| server | round (load avg at start) | updates delivered | p50 | p95 | p99 | max | server peak RSS |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- |`,
  ]
  const servers = [
    { name: 'chainmap-sync', start: () => startChainmapSync() },
    { name: 'y-websocket 2.1.0 (LevelDB)', start: startClassic },
  ]
  const all = new Map<string, { latencies: number[]; delivered: number; expected: number }>()
  // Each server runs alone with the same client processes and load; rounds alternate A, B, A, B so
  // that background load on the shared machine does not favour one of them.
  for (let round = 1; round <= rounds; round++) {
    for (const { name, start } of servers) {
      const server = await start()
      try {
        const load = loadavg()[0] ?? Number.NaN
        const r = await fanoutOn(server)
        const s = r.summary
        lines.push(
          `| ${name} | ${round} (${fmt(load)}) | ${r.delivered}/${r.expected} (${fmt((100 * r.delivered) / Math.max(1, r.expected), 2)} %) | ${fmt(s.p50)} ms | ${fmt(s.p95)} ms | ${fmt(s.p99)} ms | ${fmt(s.max)} ms | ${fmt(r.rss / MiB)} MiB |`,
        )
        const total = all.get(name) ?? { latencies: [], delivered: 0, expected: 0 }
        total.latencies.push(...r.latencies)
        total.delivered += r.delivered
        total.expected += r.expected
        all.set(name, total)
      } finally {
        await server.stop()
      }
    }
  }
  for (const [name, total] of all) {
    const s = summarize(total.latencies)
    lines.push(
      `| **${name}** | all | ${total.delivered}/${total.expected} (${fmt((100 * total.delivered) / Math.max(1, total.expected), 2)} %) | ${fmt(s.p50)} ms | ${fmt(s.p95)} ms | **${fmt(s.p99)} ms** | ${fmt(s.max)} ms | |`,
    )
  }
  return lines
}

async function memoryOn(hibernateMs: number): Promise<string> {
  const boards = Math.round(400 * scale)
  const server = await startChainmapSync(['--room-hibernate-ms', String(hibernateMs)], true)
  try {
    // Warm the code paths with one room, then measure the baseline after a full GC.
    await runWorker({ kind: 'boards', url: server.url, rooms: ['warmup'] }).result
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await server.collectGarbage()
    const heapBefore = await heapAndExternal(server)
    const rssBefore = server.rss()
    const workers = split(rooms('board', boards), CLIENT_PROCESSES).map((part) =>
      runWorker({ kind: 'boards', url: server.url, rooms: part }),
    )
    const results = (await Promise.all(workers.map((w) => w.result))) as Extract<
      JobResult,
      { kind: 'boards' }
    >[]
    // Let closed sockets go, and quiet rooms hibernate when that is on.
    await new Promise((resolve) => setTimeout(resolve, Math.min(hibernateMs, 20_000) + 3000))
    await server.collectGarbage()
    const loaded = await metric(server, 'chainmap_sync_rooms_loaded')
    const heapAfter = await heapAndExternal(server)
    const rssAfter = server.rss()
    const written = results.reduce((s, r) => s + r.written, 0)
    const perBoardHeap = (heapAfter - heapBefore) / written / 1024
    const perBoardRss = (rssAfter - rssBefore) / written / 1024
    const mode =
      hibernateMs >= 600_000
        ? 'live Y.Doc (being edited)'
        : `quiet, hibernated after ${hibernateMs / 1000} s`
    return `| ${mode} | ${written} | ${loaded} | ${fmt((results[0]?.boardBytes ?? 0) / 1024)} KiB | **${fmt(perBoardHeap)} KiB** | ${fmt(perBoardRss)} KiB |`
  } finally {
    await server.stop()
  }
}

async function memoryScenario(): Promise<string[]> {
  return [
    `| room state | boards written | rooms loaded | board (encoded) | heap + external per loaded board | RSS per loaded board |`,
    `| --- | --- | --- | --- | --- | --- |`,
    await memoryOn(quick ? 3000 : 10_000),
    await memoryOn(600_000),
  ]
}

/** `--only=connections|fanout|memory` runs one scenario; `--quick` runs a quarter of the load. */
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length)
const wanted = (scenario: string) => only === undefined || only === scenario

async function main(): Promise<void> {
  const cpu = cpus()
  console.log(`# chainmap-sync load benchmark${quick ? ' (quick)' : ''}`)
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 1024 ** 3, 0)} GiB RAM; Node ${process.version}; clients in ${CLIENT_PROCESSES} processes separate from the server; loopback 127.0.0.1`,
  )
  if (wanted('connections')) {
    console.log(
      `\n## ${Math.round(2000 * scale)} concurrent connections across ${Math.round(200 * scale)} rooms (chainmap-sync)\n`,
    )
    console.log((await connectionsScenario()).join('\n'))
  }
  if (wanted('fanout')) {
    console.log(`\n## Fan-out: ${Math.round(40 * scale)} rooms × 8 clients × 4 updates/s\n`)
    console.log((await fanoutScenario()).join('\n'))
  }
  if (wanted('memory')) {
    console.log(
      `\n## Memory per loaded small board (${SMALL_BOARD.shapes} shapes + ${SMALL_BOARD.arrows} arrows, per-property records; no connections open)\n`,
    )
    console.log((await memoryScenario()).join('\n'))
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
