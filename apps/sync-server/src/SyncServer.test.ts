import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import * as Y from 'yjs'
import { CloseCodes } from './closeCodes.js'
import { readMessage } from './protocol/messages.js'
import { connectClient, openRaw, type TestClient, waitFor } from './testkit/clients.js'
import { metricValue } from './testkit/metrics.js'
import { type ServerProcess, startServer } from './testkit/serverProcess.js'

let server: ServerProcess
const clients: TestClient[] = []
function client(room: string, on: ServerProcess = server): TestClient {
  const c = connectClient(on.url, room)
  clients.push(c)
  return c
}

beforeAll(async () => {
  // Rooms hibernate quickly here so that every test also crosses the bytes <-> Y.Doc path.
  server = await startServer({ args: ['--room-hibernate-ms', '50'] })
})
afterAll(async () => {
  for (const c of clients) c.destroy()
  expect(await server.stop('SIGTERM')).toBe(0)
})

describe('chainmap-sync with stock y-websocket clients', () => {
  it('two clients converge', async () => {
    const a = client('converge')
    const b = client('converge')
    await Promise.all([a.firstSynced, b.firstSynced])
    a.doc.getMap('shapes').set('a1', 'from a')
    b.doc.getMap('shapes').set('b1', 'from b')
    a.doc.getText('title').insert(0, 'Hello')
    await waitFor(
      () => a.doc.getMap('shapes').size === 2 && b.doc.getMap('shapes').size === 2,
      'both maps to hold both keys',
    )
    await waitFor(() => b.doc.getText('title').toString() === 'Hello', 'text to reach b')
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc))
  })

  it('a late joiner has everything when it first reports synced', async () => {
    const a = client('late')
    await a.firstSynced
    for (let i = 0; i < 50; i++) a.doc.getMap('m').set(`k${i}`, i)
    const observer = client('probe-late')
    await observer.firstSynced
    // Wait until the server has relayed a's edits (so they are committed), via a second client.
    const b = client('late')
    await waitFor(() => b.doc.getMap('m').size === 50, 'b to see 50 keys')
    const late = client('late')
    let sizeAtSync = -1
    late.provider.on('sync', (synced: boolean) => {
      if (synced && sizeAtSync < 0) sizeAtSync = late.doc.getMap('m').size
    })
    await late.firstSynced
    expect(sizeAtSync).toBe(50)
  })

  it('serves a hibernated room from bytes and wakes it on the next edit', async () => {
    // A server of its own, so that the hibernation gauge counts this room alone.
    const own = await startServer({ args: ['--room-hibernate-ms', '50'] })
    const a = client('sleepy', own)
    await a.firstSynced
    a.doc.getMap('m').set('before', 'sleep')
    const b = client('sleepy', own)
    await waitFor(() => b.doc.getMap('m').get('before') === 'sleep', 'relay before hibernation')
    const hibernated = () => metricValue(own, 'chainmap_sync_rooms_hibernated')
    await waitFor(async () => (await hibernated()) === 1, 'the room to hibernate')
    const late = client('sleepy', own)
    let atSync: unknown
    late.provider.on('sync', (synced: boolean) => {
      if (synced && atSync === undefined) atSync = late.doc.getMap('m').get('before')
    })
    await late.firstSynced
    expect(atSync).toBe('sleep')
    late.doc.getMap('m').set('after', 'wake')
    await waitFor(() => a.doc.getMap('m').get('after') === 'wake', 'relay after waking')
    expect(await hibernated()).toBe(0)
    await waitFor(async () => (await hibernated()) === 1, 'the room to hibernate again')
    a.doc.getMap('m').set('again', 1)
    await waitFor(() => late.doc.getMap('m').get('again') === 1, 'relay after a second sleep')
    for (const c of [a, b, late]) c.destroy()
    await own.stop('SIGTERM')
  })

  it('relays awareness and drops a client’s presence when it disconnects', async () => {
    const a = client('presence')
    const b = client('presence')
    await Promise.all([a.firstSynced, b.firstSynced])
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' })
    const aId = a.doc.clientID
    await waitFor(
      () =>
        (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user
          ?.name === 'Ada',
      'b to see a’s presence',
    )
    // A newcomer receives presence already in the room.
    const c = client('presence')
    await c.firstSynced
    await waitFor(() => c.provider.awareness.getStates().has(aId), 'c to see a’s presence')
    // a's socket goes away without a goodbye: the server must remove a's state.
    a.provider.shouldConnect = false
    ;(a.provider.ws as unknown as WebSocket).terminate()
    await waitFor(
      () => !b.provider.awareness.getStates().has(aId),
      'a’s presence to be dropped at b',
    )
    await waitFor(
      () => !c.provider.awareness.getStates().has(aId),
      'a’s presence to be dropped at c',
    )
  })

  it('warns loudly at start that it runs without a secret', () => {
    expect(server.output()).toContain('the server is OPEN')
  })

  it('refuses an invalid room name with 4400 and sends nothing', async () => {
    const raw = await openRaw(`${server.url}/bad%20room`)
    const { code } = await raw.closed
    expect(code).toBe(CloseCodes.badRequest)
    expect(raw.frames).toHaveLength(0)
  })

  it('sends sync step 1 first, then answers step 1 with step 2', async () => {
    const a = client('raw')
    await a.firstSynced
    a.doc.getMap('m').set('x', 1)
    const b = client('raw')
    await waitFor(() => b.doc.getMap('m').get('x') === 1, 'b to get x')
    const { ws, frames } = await openRaw(`${server.url}/raw`)
    await waitFor(() => frames.length >= 1, 'server step 1')
    // The ws client offers permessage-deflate; the server declines it (rooms write pre-framed bytes).
    expect(ws.extensions).toBe('')
    expect(readMessage(frames[0]!).type).toBe('syncStep1')
    ws.send(new Uint8Array([0, 0, 1, 0]))
    await waitFor(() => frames.some((f) => readMessage(f).type === 'syncStep2'), 'server step 2')
    const step2 = frames.map((f) => readMessage(f)).find((m) => m.type === 'syncStep2')
    const doc = new Y.Doc()
    if (step2?.type === 'syncStep2') Y.applyUpdate(doc, step2.update)
    expect(doc.getMap('m').get('x')).toBe(1)
    ws.close()
  })

  it('times each relayed update from its arrival to its relay', async () => {
    const relayDelay = async () => {
      const metrics = await (await fetch(`${server.http}/metrics`)).text()
      const read = (series: string) =>
        Number(
          new RegExp(`^chainmap_sync_relay_delay_seconds_${series} (\\S+)$`, 'm').exec(
            metrics,
          )?.[1],
        )
      return { count: read('count'), sum: read('sum') }
    }
    const a = client('delay')
    const b = client('delay')
    await Promise.all([a.firstSynced, b.firstSynced])
    const before = await relayDelay()
    for (let i = 0; i < 5; i++) a.doc.getMap('m').set(`k${i}`, i)
    await waitFor(() => b.doc.getMap('m').size === 5, 'b to get five edits')
    const after = await relayDelay()
    expect(after.count - before.count).toBe(5)
    const meanSeconds = (after.sum - before.sum) / (after.count - before.count)
    expect(meanSeconds).toBeGreaterThan(0)
  })

  it('answers a request target that is not a URL path with 400, on HTTP and on upgrade', async () => {
    const request = (head: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(server.http).port), '127.0.0.1')
        let answer = ''
        socket.on('data', (chunk) => {
          answer += chunk.toString()
          // Keep-alive answers leave the socket open: the status line and body are enough.
          if (answer.includes('URL path')) socket.destroy()
        })
        socket.on('close', () => resolve(answer))
        socket.on('error', reject)
        socket.write(`${head}\r\nHost: 127.0.0.1\r\n\r\n`)
      })
    const plain = await request('GET // HTTP/1.1')
    expect(plain).toMatch(/^HTTP\/1\.1 400/)
    expect(plain).toContain('is not a URL path')
    const upgrade = await request(
      'GET //?token=x HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    )
    expect(upgrade).toMatch(/^HTTP\/1\.1 400/)
    expect(server.output()).not.toContain('upgrade failed')
    expect(server.output()).not.toContain('HTTP request failed')
    expect((await fetch(`${server.http}/healthz`)).status).toBe(200)
  })

  it('serves health, readiness, metrics and room snapshots', async () => {
    expect((await fetch(`${server.http}/healthz`)).status).toBe(200)
    expect((await fetch(`${server.http}/readyz`)).status).toBe(200)
    const metrics = await (await fetch(`${server.http}/metrics`)).text()
    for (const name of [
      'chainmap_sync_connections',
      'chainmap_sync_rooms_loaded',
      'chainmap_sync_messages_in_total',
      'chainmap_sync_messages_out_total',
      'chainmap_sync_bytes_in_total',
      'chainmap_sync_bytes_out_total',
      'chainmap_sync_append_duration_seconds_bucket',
      'chainmap_sync_relay_delay_seconds_bucket',
      'chainmap_sync_connections_refused_total',
    ]) {
      expect(metrics).toContain(name)
    }
    expect(metrics).toMatch(
      /chainmap_sync_connections_refused_total\{reason="invalid-room-name"\} [1-9]/,
    )
    const a = client('snap')
    await a.firstSynced
    a.doc.getText('t').insert(0, 'backup me')
    const b = client('snap')
    await waitFor(() => b.doc.getText('t').toString() === 'backup me', 'relay')
    const res = await fetch(`${server.http}/api/rooms/snap/snapshot`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()))
    expect(doc.getText('t').toString()).toBe('backup me')
    expect((await fetch(`${server.http}/api/rooms/bad%20name/snapshot`)).status).toBe(400)
    expect((await fetch(`${server.http}/nope`)).status).toBe(404)
  })
})
