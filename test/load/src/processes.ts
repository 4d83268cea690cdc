import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'

const require = createRequire(import.meta.url)

/** A server under test, running in its own process. */
export interface ServerUnderTest {
  readonly name: string
  readonly url: string
  readonly http: string
  readonly child: ChildProcess
  /** Resident set size of the server process in bytes (from /proc). */
  rss(): number
  /** Forces a full garbage collection in the server through its inspector (if started with one). */
  collectGarbage(): Promise<void>
  stop(): Promise<void>
}

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

async function collectGarbage(output: () => string): Promise<void> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(output())?.[1]
  if (!url) throw new Error('server was not started with an inspector')
  const ws = new WebSocket(url)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  await new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { id?: number }).id === 1) resolve()
    })
    ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }))
  })
  ws.close()
}

async function start(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
): Promise<ServerUnderTest> {
  const child = spawn(process.execPath, args, {
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
    url: `ws://127.0.0.1:${port}`,
    http: `http://127.0.0.1:${port}`,
    child,
    rss: () => rssOf(child.pid),
    collectGarbage: () => collectGarbage(() => output),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Starts chainmap-sync (the built CLI) on a fresh data folder with limits fit for the load. */
export async function startChainmapSync(
  extraArgs: string[] = [],
  inspect = false,
): Promise<ServerUnderTest> {
  const port = await freePort()
  const cli = require
    .resolve('@chainmap/sync-server/package.json')
    .replace(/package\.json$/, 'dist/cli.js')
  const data = mkdtempSync(join(tmpdir(), 'chainmap-load-'))
  return start(
    'chainmap-sync',
    [
      ...(inspect ? ['--inspect=127.0.0.1:0'] : []),
      cli,
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
      '--log-level',
      'warn',
      ...extraArgs,
    ],
    {},
    port,
  )
}

/** Starts the classic y-websocket server (y-websocket 2.1.0 `bin/server.cjs`) with LevelDB persistence. */
export async function startClassic(): Promise<ServerUnderTest> {
  const port = await freePort()
  const script = require
    .resolve('y-websocket-classic/package.json')
    .replace(/package\.json$/, 'bin/server.cjs')
  const data = mkdtempSync(join(tmpdir(), 'classic-leveldb-'))
  return start(
    'y-websocket 2.1.0 (LevelDB)',
    [script],
    { HOST: '127.0.0.1', PORT: String(port), YPERSISTENCE: data },
    port,
  )
}
