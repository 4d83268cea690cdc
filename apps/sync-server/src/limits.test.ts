import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { connectClient, openRaw, type TestClient, waitFor } from './testkit/clients.js'
import { metricValue } from './testkit/metrics.js'
import { type ServerProcess, startServer } from './testkit/serverProcess.js'

const clients: TestClient[] = []
const sockets: WebSocket[] = []
let server: ServerProcess | undefined
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const s of sockets.splice(0)) s.terminate()
  await server?.stop('SIGKILL')
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const metric = (name: string) => metricValue(server!, name)

describe('limits', () => {
  it('refuses connections beyond the per-room and per-address limits with 4503', async () => {
    server = await startServer({
      args: ['--max-connections-per-room', '2', '--max-connections-per-ip', '3'],
    })
    const first = await openRaw(`${server.url}/full`)
    const second = await openRaw(`${server.url}/full`)
    sockets.push(first.ws, second.ws)
    const third = await openRaw(`${server.url}/full`)
    expect((await third.closed).code).toBe(4503)
    const other = await openRaw(`${server.url}/other`)
    sockets.push(other.ws)
    const fourth = await openRaw(`${server.url}/another`)
    expect((await fourth.closed).code).toBe(4503)
    expect(fourth.frames).toHaveLength(0)
  })

  it('gives back the slots of a handshake that never completes', async () => {
    server = await startServer({
      args: ['--max-connections-per-room', '2', '--max-connections-per-ip', '3'],
    })
    const port = new URL(server.http).port
    // An upgrade without Sec-WebSocket-Key: the websocket library answers 400 and never accepts it.
    const badHandshake = () =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1')
        let answer = ''
        socket.on('data', (chunk) => {
          answer += chunk.toString()
        })
        socket.on('close', () => resolve(answer))
        socket.on('error', reject)
        socket.write(
          'GET /full HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
        )
      })
    for (let i = 0; i < 5; i++) expect(await badHandshake()).toMatch(/^HTTP\/1\.1 400/)
    const first = await openRaw(`${server.url}/full`)
    const second = await openRaw(`${server.url}/full`)
    sockets.push(first.ws, second.ws)
    await waitFor(() => first.frames.length > 0 && second.frames.length > 0, 'both synced')
    const third = await openRaw(`${server.url}/full`)
    expect((await third.closed).code).toBe(4503)
  })

  it('closes a connection that exceeds the update rate with 4529, and its edits still arrive after it reconnects', async () => {
    server = await startServer({ args: ['--update-rate', '5', '--update-burst', '20'] })
    const fast = connectClient(server.url, 'rate')
    const reader = connectClient(server.url, 'rate')
    clients.push(fast, reader)
    await Promise.all([fast.firstSynced, reader.firstSynced])
    const codes: number[] = []
    fast.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) codes.push(event.code)
    })
    for (let i = 0; i < 60; i++) fast.doc.getMap('m').set(`k${i}`, i)
    await waitFor(() => codes.includes(4529), 'a 4529 close')
    await waitFor(
      () => reader.doc.getMap('m').size === 60,
      'all edits to arrive after the reconnect',
      45_000,
    )
  })

  it('drops a slow reader with 4508 instead of queueing without bound', async () => {
    server = await startServer({
      args: ['--max-queued-bytes', '65536', '--update-rate', '10000', '--update-burst', '10000'],
    })
    const slow = await openRaw(`${server.url}/slow`)
    sockets.push(slow.ws)
    await waitFor(() => slow.frames.length > 0, 'step 1')
    // Stop reading: the kernel buffers fill up, then the server-side queue grows.
    ;(slow.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    const writer = connectClient(server.url, 'slow')
    clients.push(writer)
    await writer.firstSynced
    const big = 'x'.repeat(60_000)
    for (let i = 0; i < 200 && (await metric('chainmap_sync_connections')) > 1; i++) {
      writer.doc.getArray('a').push([big])
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const text = await (await fetch(`${server.http}/metrics`)).text()
    expect(text).toMatch(
      /chainmap_sync_connections_closed_by_server_total\{reason="slow-consumer"\} 1/,
    )
    expect(server.output()).toContain('"code":"slow-consumer"')
  })

  it('drops a connection that stops answering pings', async () => {
    server = await startServer({ args: ['--ping-interval-ms', '200'] })
    const silent = await openRaw(`${server.url}/pings`)
    sockets.push(silent.ws)
    await waitFor(() => silent.frames.length > 0, 'step 1')
    // A peer whose socket no longer reads cannot answer pings: it looks dead to the server.
    ;(silent.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    const deadline = Date.now() + 30_000
    while ((await metric('chainmap_sync_connections')) > 0 && Date.now() < deadline)
      await sleep(100)
    expect(await metric('chainmap_sync_connections')).toBe(0)
    // The server cut the TCP connection without a close frame; the client sees that once it reads.
    ;(silent.ws as unknown as { _socket: { resume(): void } })._socket.resume()
    expect((await silent.closed).code).toBe(1006)
  })

  it('unloads an idle room after the grace period', async () => {
    server = await startServer({ args: ['--room-idle-ms', '200'] })
    const c = connectClient(server.url, 'idle')
    await c.firstSynced
    c.doc.getText('t').insert(0, 'kept after unload')
    const d = connectClient(server.url, 'idle')
    await waitFor(() => d.doc.getText('t').length > 0, 'relay')
    expect(await metric('chainmap_sync_rooms_loaded')).toBe(1)
    c.destroy()
    d.destroy()
    const deadline = Date.now() + 30_000
    while ((await metric('chainmap_sync_rooms_loaded')) > 0 && Date.now() < deadline)
      await sleep(100)
    expect(await metric('chainmap_sync_rooms_loaded')).toBe(0)
    const again = connectClient(server.url, 'idle')
    clients.push(again)
    await again.firstSynced
    expect(again.doc.getText('t').toString()).toBe('kept after unload')
  })
})
