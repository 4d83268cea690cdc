import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { dropPostgresSchema } from '@chainmap/sync-server'
import pg from 'pg'
import WebSocket from 'ws'
import { type CumulativeHistogram, combineHistograms, scrapeHistogram } from './histogram.js'
import type { ServerKind } from './jobs.js'

const require = createRequire(import.meta.url)

/** A server under test, running in its own process. */
export interface ServerUnderTest {
  readonly name: string
  readonly kind: ServerKind
  readonly url: string
  /** Every node's URL when the server runs as several nodes (clients of a room spread over them). */
  readonly urls?: readonly string[]
  readonly http: string
  /** The server's data folder (reused by a restart). */
  readonly data: string
  readonly child: ChildProcess
  /** Resident set size of the server process in bytes (from /proc). */
  rss(): number
  /** CPU time (user + system, all threads) the server process has used so far, in seconds. */
  cpuSeconds(): number
  /**
   * The server's own `chainmap_sync_relay_delay_seconds` histogram (summed over a cluster's nodes);
   * only chainmap-sync has it.
   */
  relayDelay?(): Promise<CumulativeHistogram>
  /** Forces a full garbage collection in the server through its inspector (if started with one). */
  collectGarbage(): Promise<void>
  /** JS heap in use plus memory outside the heap (through the inspector), after {@link collectGarbage}. */
  heapAndExternal(): Promise<number>
  /** Stops gracefully (SIGTERM), or SIGKILL after 10 s. */
  stop(): Promise<void>
  /** Kills the process at once (SIGKILL), as a crash or power cut of the process would. */
  kill(): Promise<void>
}

/** Starts a server of one kind; `data` reuses a data folder (a restart), `inspect` opens an inspector. */
export type StartServer = (options?: {
  data?: string
  inspect?: boolean
}) => Promise<ServerUnderTest>

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function rssOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
  return kb ? Number(kb) * 1024 : Number.NaN
}

const dataDirs: string[] = []

function newDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dataDirs.push(dir)
  return dir
}

/** Deletes every data folder the servers of this run created. */
export function removeDataDirs(): void {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

// Linux reports process times in clock ticks of 1/100 s (USER_HZ).
const TICKS_PER_SECOND = 100

function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may contain spaces): state is first, utime 12th, stime 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

async function waitListening(
  port: number,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output()}`)
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`)
      return
    } catch {
      if (Date.now() > deadline) throw new Error(`server did not start:\n${output()}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/** Sends one inspector command to the server and returns its result. */
async function inspector(
  output: () => string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<unknown> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(output())?.[1]
  if (!url) throw new Error('server was not started with an inspector')
  const ws = new WebSocket(url)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const result = await new Promise<unknown>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown }
      if (message.id === 1) resolve(message.result)
    })
    ws.send(JSON.stringify({ id: 1, method, params }))
  })
  ws.close()
  return result
}

async function heapAndExternal(output: () => string): Promise<number> {
  const result = (await inspector(output, 'Runtime.evaluate', {
    expression: 'JSON.stringify(process.memoryUsage())',
    returnByValue: true,
  })) as { result: { value: string } }
  const usage = JSON.parse(result.result.value) as { heapUsed: number; external: number }
  return usage.heapUsed + usage.external
}

async function start(
  name: string,
  kind: ServerKind,
  data: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  inspect: boolean,
): Promise<ServerUnderTest> {
  const child = spawn(process.execPath, [...(inspect ? ['--inspect=127.0.0.1:0'] : []), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  })
  await waitListening(port, child, () => output)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    name,
    kind,
    url: `ws://127.0.0.1:${port}`,
    http: `http://127.0.0.1:${port}`,
    data,
    child,
    rss: () => rssOf(child.pid),
    cpuSeconds: () => cpuSecondsOf(child.pid),
    collectGarbage: async () => {
      await inspector(() => output, 'HeapProfiler.collectGarbage')
    },
    heapAndExternal: () => heapAndExternal(() => output),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

const RELAY_DELAY_METRIC = 'chainmap_sync_relay_delay_seconds'

function scrapeRelayDelay(server: ServerUnderTest): Promise<CumulativeHistogram> {
  return scrapeHistogram(`${server.http}/metrics`, RELAY_DELAY_METRIC)
}

const SYNC_CLI = require
  .resolve('@chainmap/sync-server/package.json')
  .replace(/package\.json$/, 'dist/cli.js')

/**
 * Starts chainmap-sync (the built CLI) with limits fit for the load: the per-IP, per-room and
 * per-connection update-rate limits that protect a real deployment would otherwise refuse the
 * bench's clients, which all come from one address at up to 320 updates/s each. `extraArgs` go to
 * the CLI, `env` to its environment.
 */
export function chainmapSync(
  extraArgs: string[] = [],
  env: Record<string, string> = {},
  name = 'chainmap-sync',
): StartServer {
  return async ({ data = newDataDir('chainmap-load-'), inspect = false } = {}) => {
    const port = await freePort()
    const server = await start(
      name,
      'chainmap',
      data,
      [
        SYNC_CLI,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--data',
        data,
        '--max-connections-per-ip',
        '100000',
        '--max-connections-per-room',
        '1000',
        '--room-idle-ms',
        '600000',
        '--update-rate',
        '100000',
        '--update-burst',
        '100000',
        '--log-level',
        'warn',
        '--open',
        ...extraArgs,
      ],
      env,
      port,
      inspect,
    )
    return { ...server, relayDelay: () => scrapeRelayDelay(server) }
  }
}

/** Starts the classic y-websocket server (y-websocket 2.1.0 `bin/server.cjs`) with LevelDB persistence. */
export const startClassic: StartServer = async ({
  data = newDataDir('classic-leveldb-'),
  inspect = false,
} = {}) => {
  const port = await freePort()
  const script = require
    .resolve('y-websocket-classic/package.json')
    .replace(/package\.json$/, 'bin/server.cjs')
  return start(
    'y-websocket 2.1.0 (LevelDB)',
    'classic',
    data,
    [script],
    { HOST: '127.0.0.1', PORT: String(port), YPERSISTENCE: data },
    port,
    inspect,
  )
}

/** Starts Hocuspocus 4 with its database extension on SQLite (see `hocuspocusServer.ts`). */
export const startHocuspocus: StartServer = async ({
  data = newDataDir('hocuspocus-sqlite-'),
  inspect = false,
} = {}) => {
  const port = await freePort()
  // The built script, whether this module runs from dist (the bench) or src (its tests).
  const script = fileURLToPath(new URL('../dist/hocuspocusServer.js', import.meta.url))
  return start(
    'Hocuspocus 4.7 (SQLite)',
    'hocuspocus',
    data,
    [script, String(port), data],
    {},
    port,
    inspect,
  )
}

/** Where a chainmap-sync cluster keeps its log and fans out: PostgreSQL and Redis. */
export interface ClusterServices {
  readonly databaseUrl: string
  readonly redisUrl: string
}

/** Checks PostgreSQL and Redis answer, naming the one that does not. */
export async function checkClusterServices(services: ClusterServices): Promise<void> {
  const client = new pg.Client({ connectionString: services.databaseUrl })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    throw new Error(`PostgreSQL at ${services.databaseUrl}: ${(error as Error).message}`)
  } finally {
    await client.end().catch(() => {})
  }
  const redis = new URL(services.redisUrl)
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection(Number(redis.port || 6379), redis.hostname)
    socket.once('connect', () => {
      socket.end()
      resolve()
    })
    socket.once('error', (error) =>
      reject(new Error(`Redis at ${services.redisUrl}: ${error.message}`)),
    )
  })
}

/**
 * Starts `nodes` chainmap-sync processes as one cluster on PostgreSQL and Redis, in a schema and
 * Redis prefix of their own (dropped when stopped). Memory and CPU are the sum over the nodes.
 */
export function chainmapCluster(services: ClusterServices, nodes = 2): StartServer {
  return async ({ inspect = false } = {}) => {
    const schema = `cm_bench_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
    const env = {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      CHAINMAP_DATABASE_SCHEMA: schema,
      CHAINMAP_REDIS_PREFIX: `${schema}:`,
    }
    const name = `chainmap-sync × ${nodes} (PostgreSQL + Redis)`
    const started: ServerUnderTest[] = []
    try {
      for (let i = 0; i < nodes; i++) started.push(await chainmapSync([], env, name)({ inspect }))
    } catch (error) {
      await Promise.all(started.map((node) => node.kill()))
      throw error
    }
    const first = started[0] as ServerUnderTest
    const sum = (of: (node: ServerUnderTest) => number) =>
      started.reduce((total, node) => total + of(node), 0)
    const all = async (act: (node: ServerUnderTest) => Promise<void>) => {
      await Promise.all(started.map(act))
      await dropPostgresSchema(services.databaseUrl, schema)
    }
    return {
      ...first,
      urls: started.map((node) => node.url),
      rss: () => sum((node) => node.rss()),
      cpuSeconds: () => sum((node) => node.cpuSeconds()),
      relayDelay: async () => {
        const each = await Promise.all(started.map(scrapeRelayDelay))
        return each.reduce((total, histogram) => combineHistograms(total, histogram))
      },
      collectGarbage: async () => {
        await Promise.all(started.map((node) => node.collectGarbage()))
      },
      heapAndExternal: async () => {
        const each = await Promise.all(started.map((node) => node.heapAndExternal()))
        return each.reduce((total, bytes) => total + bytes, 0)
      },
      stop: () => all((node) => node.stop()),
      kill: () => all((node) => node.kill()),
    }
  }
}
