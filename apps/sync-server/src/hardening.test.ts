import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  boardFromModel,
  createBoardSchema,
  writeBoardRecords,
  writeSettings,
} from '@chainmap/board'
import { SignJWT } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { mintToken } from './auth/tokens.js'
import { writeUpdate } from './protocol/messages.js'
import { JOURNAL_FILE_NAME, SQLITE_FILE_NAME, SqliteStorage } from './storage/SqliteStorage.js'
import { UpdateJournal } from './storage/UpdateJournal.js'
import { connectClient, openRaw, type TestClient, waitFor } from './testkit/clients.js'
import { deepAnyUpdate, legacyJsonUpdate, nestedJson, presenceFrame } from './testkit/hostile.js'
import { metricValue } from './testkit/metrics.js'
import { type ServerProcess, startServer, tempDataDir } from './testkit/serverProcess.js'

// Regression tests for the findings of issue 18, each through a real server process and sockets.
const secret = 'hardening-secret-0123456789abcdef-0123'
const clients: TestClient[] = []
const sockets: WebSocket[] = []
let server: ServerProcess | undefined

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const s of sockets.splice(0)) s.terminate()
  await server?.stop('SIGKILL')
  server = undefined
})

const run = promisify(execFile)
const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function start(args: string[] = [], dataDir?: string): Promise<ServerProcess> {
  server = await startServer({
    env: { CHAINMAP_AUTH_SECRET: secret },
    args: ['--room-hibernate-ms', '200', ...args],
    ...(dataDir ? { dataDir } : {}),
  })
  return server
}

const token = (room: string, role: 'edit' | 'view') => mintToken(secret, { room, role })

async function client(node: ServerProcess, room: string, role: 'edit' | 'view') {
  const c = connectClient(node.url, room, { token: await token(room, role) })
  clients.push(c)
  await c.firstSynced
  return c
}

async function raw(node: ServerProcess, room: string, role: 'edit' | 'view') {
  const socket = await openRaw(`${node.url}/${room}?token=${await token(room, role)}`)
  sockets.push(socket.ws)
  return socket
}

/** The server is still the same process, answers, and no error escaped a guard. */
async function expectUnharmed(node: ServerProcess): Promise<void> {
  expect(node.child.exitCode).toBeNull()
  expect((await fetch(`${node.http}/healthz`)).status).toBe(200)
  const metrics = await (await fetch(`${node.http}/metrics`)).text()
  expect(metrics).toMatch(/^# TYPE chainmap_sync_uncaught_errors_total counter$/m)
  expect(metrics).not.toMatch(/^chainmap_sync_(uncaught|room_internal)_errors_total\{/m)
  expect(node.output()).not.toMatch(/reached the process|internal error in the room/)
}

/** Waits until the server's log shows `pattern` (log lines may come after the close they explain). */
function waitForOutput(node: ServerProcess, pattern: RegExp): Promise<void> {
  return waitFor(() => pattern.test(node.output()), `the log to show ${pattern}`, 10_000)
}

/** A fresh joiner syncs the room and sees `text` in its text `t`. */
async function expectJoinerSees(node: ServerProcess, room: string, text: string) {
  const joiner = await client(node, room, 'view')
  await waitFor(() => joiner.doc.getText('t').toString() === text, `a joiner to see "${text}"`)
  return joiner
}

describe('hostile input (issue 18)', () => {
  it('C1: a presence state nested 10,000 deep from a view link is refused; the server and later joiners carry on', async () => {
    const node = await start()
    const editor = await client(node, 'c1', 'edit')
    editor.doc.getText('t').insert(0, 'before')
    await expectJoinerSees(node, 'c1', 'before')

    const attacker = await raw(node, 'c1', 'view')
    attacker.ws.send(presenceFrame([4242], 1, nestedJson(10_000)))
    const closed = await attacker.closed
    expect(closed.code).toBe(4400)
    expect(closed.reason).toMatch(/presence refused: a state is nested more than 64 levels deep/)

    editor.doc.getText('t').insert(6, ' and after')
    const joiner = await expectJoinerSees(node, 'c1', 'before and after')
    expect([...joiner.provider.awareness.getStates().keys()]).not.toContain(4242)
    await expectUnharmed(node)
  })

  it('C2: legacy JSON content from an edit link is refused before the room, and the room hibernates, syncs and reloads', async () => {
    const dataDir = tempDataDir()
    let node = await start([], dataDir)
    const editor = await client(node, 'c2', 'edit')
    editor.doc.getText('t').insert(0, 'kept')
    await expectJoinerSees(node, 'c2', 'kept')

    const attacker = await raw(node, 'c2', 'edit')
    attacker.ws.send(writeUpdate(legacyJsonUpdate(777, 'records', 'x', nestedJson(10_000))))
    const closed = await attacker.closed
    expect(closed.code).toBe(4400)
    expect(closed.reason).toMatch(/legacy JSON content/)

    // Past the hibernation that used to throw in its timer.
    await sleep(800)
    await expectUnharmed(node)
    const joiner = await expectJoinerSees(node, 'c2', 'kept')
    expect(joiner.doc.getMap('records').has('x')).toBe(false)

    await node.stop('SIGTERM')
    node = await start([], dataDir)
    await expectJoinerSees(node, 'c2', 'kept')
  })

  it('C2: shared types nested past the bound are refused before they are stored; within it they are kept', async () => {
    const node = await start()
    const chain = (depth: number) => {
      const doc = new Y.Doc()
      let map = doc.getMap<unknown>('nest')
      for (let level = 0; level < depth; level++) {
        const inner = new Y.Map<unknown>()
        map.set('k', inner)
        map = inner
      }
      return Y.encodeStateAsUpdate(doc)
    }
    const attacker = await raw(node, 'c2-types', 'edit')
    attacker.ws.send(writeUpdate(chain(200)))
    expect(await attacker.closed).toEqual({
      code: 4400,
      reason: 'Yjs update refused: shared types are nested more than 64 levels deep',
    })
    const editor = await raw(node, 'c2-types', 'edit')
    editor.ws.send(writeUpdate(chain(60)))
    const reader = await client(node, 'c2-types', 'view')
    const depthOf = (doc: Y.Doc) => {
      let depth = 0
      for (let map = doc.getMap('nest').get('k'); map instanceof Y.Map; map = map.get('k')) depth++
      return depth
    }
    await waitFor(() => depthOf(reader.doc) === 60, 'the chain within the bound to arrive')
    await expectUnharmed(node)
  })

  it('H3: a value nested deeper than the bound is refused, so whatever is stored loads again after a restart', async () => {
    const dataDir = tempDataDir()
    let node = await start([], dataDir)
    const editor = await client(node, 'h3', 'edit')
    editor.doc.getText('t').insert(0, 'stays loadable')
    await expectJoinerSees(node, 'h3', 'stays loadable')

    const attacker = await raw(node, 'h3', 'edit')
    attacker.ws.send(writeUpdate(deepAnyUpdate(778, 'records', 'deep', 8_000)))
    const closed = await attacker.closed
    expect(closed.code).toBe(4400)
    expect(closed.reason).toMatch(/nested/)

    await node.stop('SIGTERM')
    node = await start([], dataDir)
    await expectJoinerSees(node, 'h3', 'stays loadable')
    await expectUnharmed(node)
  })

  it('H3: a board whose stored state cannot be loaded says so on /readyz and in the log; other boards carry on', async () => {
    const dataDir = tempDataDir()
    const storage = new SqliteStorage(dataDir)
    await storage.append([{ room: 'broken', update: new Uint8Array([1, 1, 9, 0, 0xff, 0xff]) }])
    await storage.close()
    const node = await start([], dataDir)

    const visitor = await raw(node, 'broken', 'view')
    const closed = await visitor.closed
    expect(closed).toEqual({ code: 1011, reason: 'the board could not be loaded' })
    const ready = await fetch(`${node.http}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.text()).toMatch(
      /degraded: 1 board could not be loaded in the last 10 minutes \(log code room-load-failed\)/,
    )
    await waitForOutput(
      node,
      /"code":"room-load-failed"[^\n]*"room":"broken"|"room":"broken"[^\n]*"code":"room-load-failed"/,
    )
    expect(await metricValue(node, 'chainmap_sync_room_load_failures_total')).toBe(1)

    const editor = await client(node, 'healthy', 'edit')
    editor.doc.getText('t').insert(0, 'fine')
    await expectJoinerSees(node, 'healthy', 'fine')
  })

  it('L4: an edit declaring an unknown board format is refused; the board stays writable for everyone', async () => {
    const node = await start()
    const editor = await client(node, 'l4', 'edit')
    editor.doc.getMap('meta').set('formatVersion', 1)
    // The board's schema, chart included, as the web app writes it.
    const sequences = createBoardSchema().serialize().sequences
    expect(sequences).toHaveProperty(['com.tldraw.shape.chainmap-chart'])
    editor.doc.getMap('meta').set('schema', { schemaVersion: 2, sequences })
    editor.doc.getText('t').insert(0, 'mine')
    await expectJoinerSees(node, 'l4', 'mine')

    // As an editor who synced the board would write it: over the current value, so it wins.
    const vandal = new Y.Doc()
    Y.applyUpdate(vandal, Y.encodeStateAsUpdate(editor.doc))
    vandal.getMap('meta').set('formatVersion', 1e9)
    const attacker = await raw(node, 'l4', 'edit')
    attacker.ws.send(writeUpdate(Y.encodeStateAsUpdate(vandal, Y.encodeStateVector(editor.doc))))
    const closed = await attacker.closed
    expect(closed.code).toBe(4400)
    expect(closed.reason).toBe(
      'board format refused: this edit comes from a newer chainmap than this server',
    )
    // The close reason is for a person; the log names what was newer.
    await waitForOutput(
      node,
      /"code":"unsupported-board-format"[^\n]*"detail":"this board uses board format 1000000000, newer than this app's 1"/,
    )

    // The room reloaded from storage, and hibernates after 200 ms: refused there too.
    await sleep(400)
    const again = new Y.Doc()
    Y.applyUpdate(again, Y.encodeStateAsUpdate(editor.doc))
    again.getMap('meta').set('formatVersion', 2)
    const second = await raw(node, 'l4', 'edit')
    second.ws.send(writeUpdate(Y.encodeStateAsUpdate(again, Y.encodeStateVector(editor.doc))))
    expect((await second.closed).code).toBe(4400)

    // The editor reconnects by itself and keeps editing.
    editor.doc.getText('t').insert(4, ' still')
    const joiner = await expectJoinerSees(node, 'l4', 'mine still')
    expect(joiner.doc.getMap('meta').get('formatVersion')).toBe(1)
    expect(joiner.doc.getMap('meta').get('schema')).toEqual({ schemaVersion: 2, sequences })

    // A record type the server does not know would make every client read-only: refused too.
    const stranger = new Y.Doc()
    Y.applyUpdate(stranger, Y.encodeStateAsUpdate(joiner.doc))
    stranger.getMap('meta').set('schema', {
      schemaVersion: 2,
      sequences: { ...sequences, 'com.tldraw.shape.evil': 0 },
    })
    const third = await raw(node, 'l4', 'edit')
    third.ws.send(writeUpdate(Y.encodeStateAsUpdate(stranger, Y.encodeStateVector(joiner.doc))))
    expect(await third.closed).toEqual({
      code: 4400,
      reason: 'board format refused: this edit comes from a newer chainmap than this server',
    })
    await waitForOutput(
      node,
      /"detail":"this board contains \\"com\.tldraw\.shape\.evil\\", which this app does not know"/,
    )
    expect(editor.doc.getMap('meta').get('formatVersion')).toBe(1)
    await expectUnharmed(node)
  })

  it('M1: a view link’s update frames are dropped unread, counted, and rate-limited', async () => {
    const node = await start(['--update-rate', '20', '--update-burst', '100'])
    const viewer = await raw(node, 'm1', 'view')
    // Not even a valid Yjs update: reading it would close the connection as corrupt.
    const garbage = new Uint8Array([0, 2, 4, 0xff, 0xff, 0xff, 0xff])
    for (let i = 0; i < 50; i++) viewer.ws.send(garbage)
    await waitFor(
      async () =>
        (await metricValue(node, 'chainmap_sync_messages_in_total{type="viewUpdateDropped"}')) ===
        50,
      'the dropped frames to be counted',
    )
    expect(viewer.ws.readyState).toBe(viewer.ws.OPEN)
    // The same frame with its two varints written long (lib0 reads them alike): still unread.
    const padded = new Uint8Array([0x80, 0x00, 0x82, 0x00, 4, 0xff, 0xff, 0xff, 0xff])
    viewer.ws.send(padded)
    await waitFor(
      async () =>
        (await metricValue(node, 'chainmap_sync_messages_in_total{type="viewUpdateDropped"}')) ===
        51,
      'the padded frame to be dropped unread too',
    )
    for (let i = 0; i < 200; i++) viewer.ws.send(garbage)
    const closed = await viewer.closed
    expect(closed.code).toBe(4529)
    expect(closed.reason).toMatch(/more than 20 updates\/s/)
    await expectUnharmed(node)
  })

  it("M2: nobody can set another participant's presence; the stock clients' echoes are no offence", async () => {
    const node = await start()
    const ada = await client(node, 'm2', 'edit')
    const bob = await client(node, 'm2', 'view')
    ada.provider.awareness.setLocalState({ name: 'ada' })
    bob.provider.awareness.setLocalState({ name: 'bob' })
    const adaId = ada.doc.clientID
    await waitFor(
      () => (bob.provider.awareness.getStates().get(adaId) as { name?: string })?.name === 'ada',
      "bob to see ada's presence",
    )

    const mallory = await raw(node, 'm2', 'view')
    mallory.ws.send(presenceFrame([adaId], 1_000_000, '{"name":"mallory"}'))
    // Both stock clients echo each other's changes back to the server for a while.
    for (let i = 0; i < 20; i++) {
      ada.provider.awareness.setLocalStateField('cursor', i)
      bob.provider.awareness.setLocalStateField('cursor', i)
      await sleep(20)
    }
    await waitFor(
      () =>
        (ada.provider.awareness.getStates().get(bob.doc.clientID) as { cursor?: number })
          ?.cursor === 19,
      "ada to see bob's last cursor",
    )
    expect((bob.provider.awareness.getStates().get(adaId) as { name?: string }).name).toBe('ada')
    const watcher = await client(node, 'm2', 'view')
    await waitFor(() => watcher.provider.awareness.getStates().has(adaId), 'a joiner to see ada')
    expect((watcher.provider.awareness.getStates().get(adaId) as { name?: string }).name).toBe(
      'ada',
    )
    expect(ada.provider.wsconnected && bob.provider.wsconnected).toBe(true)
    await expectUnharmed(node)
  })

  it('M2: presence is capped in participants per connection, state size and rate', async () => {
    const node = await start([
      '--max-presence-bytes',
      '1024',
      '--presence-rate',
      '5',
      '--presence-burst',
      '10',
    ])
    const crowd = await raw(node, 'm2-caps', 'view')
    crowd.ws.send(presenceFrame([1, 2, 3, 4, 5], 1, '{}'))
    expect(await crowd.closed).toMatchObject({
      code: 4400,
      reason: expect.stringMatching(/at most 4 participants/),
    })

    const large = await raw(node, 'm2-caps', 'view')
    large.ws.send(presenceFrame([6], 1, JSON.stringify({ name: 'x'.repeat(2000) })))
    expect(await large.closed).toMatchObject({
      code: 4400,
      reason: expect.stringMatching(/state of 2011 bytes is over the 1024-byte limit/),
    })

    const chatty = await raw(node, 'm2-caps', 'view')
    for (let clock = 1; clock <= 40; clock++) chatty.ws.send(presenceFrame([7], clock, '{}'))
    expect(await chatty.closed).toMatchObject({
      code: 4529,
      reason: expect.stringMatching(/more than 5 presence changes\/s/),
    })

    const joiner = await client(node, 'm2-caps', 'view')
    await sleep(200)
    expect(joiner.provider.awareness.getStates().size).toBeLessThanOrEqual(1)
    await expectUnharmed(node)
  })

  it('L6: behind a proxy that appends, the client cannot choose the address its limits count', async () => {
    server = await startServer({
      env: { CHAINMAP_LOG_LEVEL: 'info' },
      args: ['--trust-proxy', '1', '--max-connections-per-ip', '1'],
    })
    const behindProxy = (claimed: string) =>
      new WebSocket(`${server?.url}/l6`, {
        headers: { 'X-Forwarded-For': `${claimed}, 198.51.100.9` },
      })
    const first = behindProxy('1.1.1.1')
    sockets.push(first)
    await new Promise((resolve, reject) => {
      first.once('open', resolve)
      first.once('error', reject)
    })
    const second = behindProxy('2.2.2.2')
    sockets.push(second)
    const code = await new Promise<number>((resolve) => second.once('close', (c) => resolve(c)))
    expect(code).toBe(4503)
    await waitForOutput(server, /"ip":"198\.51\.100\.9"[^\n]*too-many-connections-per-ip/)
  })

  it('M3: an answer over the cap gets a 413 that says how to ask for less, and asking so works', async () => {
    const node = await start(['--max-answer-bytes', '200000'])
    await drawStory(node, 'm3')
    const big = await api(node, 'm3', 'simulation')
    expect(big.status).toBe(413)
    const refusal = (await big.json()) as { error: string; message: string }
    expect(refusal.error).toBe('answer-too-large')
    expect(refusal.message).toMatch(
      /over this server's 0\.2 MiB limit; ask for less with every=\d+/,
    )
    const every = Number(/every=(\d+)/.exec(refusal.message)?.[1])

    const strided = await api(node, 'm3', 'simulation', `&every=${every}`)
    expect(strided.status).toBe(200)
    const body = await strided.text()
    expect(body.length).toBeLessThanOrEqual(200_000)
    const days = Object.values((JSON.parse(body) as { days: Record<string, number> }).days)
    expect(days[1]).toBe(every)
    expect(days.at(-1)).toBe(365)

    const early = (await (await api(node, 'm3', 'simulation', '&until=30')).json()) as {
      days: Record<string, number>
    }
    expect(Object.values(early.days)).toEqual(Array.from({ length: 31 }, (_, day) => day))
    const bad = await api(node, 'm3', 'simulation', '&every=0')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/query parameter every/)
  })

  it('M3: with every slot taken, /model, /snapshot and /simulation are refused before any work', async () => {
    const node = await start(['--simulation-concurrency', '1', '--simulation-timeout-ms', '4000'])
    await drawStory(node, 'm3-busy')
    const holding = api(node, 'm3-busy', 'simulation', '&engine=agents&runs=20&agents=1000000')
    await waitFor(
      async () => (await metricValue(node, 'chainmap_sync_board_requests_running')) === 1,
      'the heavy request to take the only slot',
    )
    for (const resource of ['model', 'snapshot', 'simulation']) {
      const refused = await api(node, 'm3-busy', resource)
      expect(refused.status, resource).toBe(503)
      expect(refused.headers.get('retry-after')).toBe('1')
      expect(await refused.json()).toMatchObject({ error: 'simulation-busy' })
    }
    expect((await holding).status).toBe(413)
    expect((await api(node, 'm3-busy', 'model')).status).toBe(200)
    await expectUnharmed(node)
  })

  it('H1: a board has a size and an item budget; an edit past one is refused with 4413 and the board stays whole', async () => {
    const node = await start(['--max-room-bytes', '20000', '--max-room-items', '500'])
    const writer = new Y.Doc()
    const editor = await raw(node, 'h1', 'edit')
    for (const chunk of ['a', 'b']) {
      writer.getText('t').insert(writer.getText('t').length, chunk.repeat(8000))
    }
    editor.ws.send(writeUpdate(Y.encodeStateAsUpdate(writer)))
    const before = Y.encodeStateVector(writer)
    writer.getText('t').insert(0, 'c'.repeat(8000))
    editor.ws.send(writeUpdate(Y.encodeStateAsUpdate(writer, before)))
    expect(await editor.closed).toEqual({
      code: 4413,
      reason: expect.stringMatching(
        /^board full: this edit would take it past 20 KiB, this server's limit \(--max-room-bytes\)/,
      ),
    })
    const joiner = await client(node, 'h1', 'view')
    await waitFor(
      () => joiner.doc.getText('t').length === 16_000,
      'the accepted edits to be served',
    )

    // Few structs in the update, many items once applied: deleting every other letter of one
    // long insert splits it into hundreds of items.
    const text = new Y.Doc()
    text.getText('t').insert(0, 'x'.repeat(1200))
    const splitter = await raw(node, 'h1-split', 'edit')
    splitter.ws.send(writeUpdate(Y.encodeStateAsUpdate(text)))
    await sleep(200)
    const whole = Y.encodeStateVector(text)
    text.transact(() => {
      for (let i = 1199; i >= 0; i -= 2) text.getText('t').delete(i, 1)
    })
    splitter.ws.send(writeUpdate(Y.encodeStateAsUpdate(text, whole)))
    expect(await splitter.closed).toMatchObject({
      code: 4413,
      reason: expect.stringMatching(/past 500 items, this server's limit \(--max-room-items\)/),
    })
    const reader = await client(node, 'h1-split', 'view')
    await waitFor(() => reader.doc.getText('t').length === 1200, 'the board as it was before')

    const crowd = new Y.Doc()
    crowd.transact(() => {
      for (let i = 0; i < 600; i++) crowd.getMap('m').set(`k${i}`, i)
    })
    const items = await raw(node, 'h1-items', 'edit')
    items.ws.send(writeUpdate(Y.encodeStateAsUpdate(crowd)))
    expect(await items.closed).toMatchObject({
      code: 4413,
      reason: expect.stringMatching(/past 500 items, this server's limit \(--max-room-items\)/),
    })
    await expectUnharmed(node)
  })

  it('H1: a connection has a byte-rate limit beside its message-rate limit, counting frames it would drop', async () => {
    const node = await start(['--byte-rate', '10000', '--byte-burst', '20000'])
    const viewer = await raw(node, 'h1-rate', 'view')
    const large = new Uint8Array(9000)
    large.set([0, 2])
    for (let i = 0; i < 3; i++) viewer.ws.send(large)
    expect(await viewer.closed).toEqual({
      code: 4529,
      reason: 'more than 10000 bytes/s received (burst 20000)',
    })
    await expectUnharmed(node)
  })

  it('H1: a stored board far over the limit is not loaded (so it cannot stall the node), and says why', async () => {
    const dataDir = tempDataDir()
    const storage = new SqliteStorage(dataDir)
    const big = new Y.Doc()
    big.getText('t').insert(0, 'x'.repeat(60_000))
    await storage.append([{ room: 'huge', update: Y.encodeStateAsUpdate(big) }])
    await storage.close()
    const node = await start(['--max-room-bytes', '20000'], dataDir)
    const visitor = await raw(node, 'huge', 'view')
    expect((await visitor.closed).code).toBe(1011)
    expect(await (await fetch(`${node.http}/readyz`)).text()).toMatch(/1 board could not be loaded/)
    await waitForOutput(
      node,
      /more than twice this server's limit of 20 KiB \(--max-room-bytes\): raise the limit to load it/,
    )
    await expectUnharmed(node)
  })

  it('H2: a board larger than the outgoing queue cap still reaches a joiner', async () => {
    const node = await start(['--max-queued-bytes', '1024'])
    const editor = await client(node, 'h2', 'edit')
    editor.doc.getText('t').insert(0, 'y'.repeat(50_000))
    await waitFor(
      async () =>
        Number((await api(node, 'h2', 'snapshot')).headers.get('content-length')) > 50_000,
      'the board to be stored',
    )
    const joiner = await client(node, 'h2', 'view')
    await waitFor(() => joiner.doc.getText('t').length === 50_000, 'the joiner to get the board')
    expect(joiner.provider.wsconnected).toBe(true)
    await expectUnharmed(node)
  })

  it('L1: journal recovery keeps the records after a damaged one, and says where the damage was', async () => {
    const dataDir = tempDataDir()
    const edit = (fill: (doc: Y.Doc) => void) => {
      const doc = new Y.Doc()
      fill(doc)
      return Y.encodeStateAsUpdate(doc)
    }
    const journal = new UpdateJournal(join(dataDir, JOURNAL_FILE_NAME), false)
    journal.append([
      { room: 'j', seq: 1, update: edit((doc) => doc.getText('t').insert(0, 'first')) },
      { room: 'j', seq: 2, update: edit((doc) => doc.getMap('m').set('second', true)) },
      { room: 'j', seq: 3, update: edit((doc) => doc.getMap('m').set('third', true)) },
    ])
    journal.close()
    const bytes = readFileSync(join(dataDir, JOURNAL_FILE_NAME))
    const secondAt = bytes.indexOf(Buffer.from('second')) - 20
    bytes[secondAt + 22] = (bytes[secondAt + 22] ?? 0) ^ 0xff
    writeFileSync(join(dataDir, JOURNAL_FILE_NAME), bytes)

    const node = await start([], dataDir)
    const joiner = await expectJoinerSees(node, 'j', 'first')
    await waitFor(() => joiner.doc.getMap('m').get('third') === true, 'the record after the damage')
    expect(joiner.doc.getMap('m').has('second')).toBe(false)
    await waitForOutput(
      node,
      /"code":"storage-damaged"[^\n]*the update journal is damaged: \d+ bytes at offset \d+/,
    )
    expect(await metricValue(node, 'chainmap_sync_storage_damage_total{where="journal"}')).toBe(1)
    await expectUnharmed(node)
  })

  it('L2: damage SQLite finds is reported at start and on /readyz; a board with edits missing says so; an empty database is named', async () => {
    const dataDir = tempDataDir()
    const storage = new SqliteStorage(dataDir)
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const doc = new Y.Doc()
      doc.getMap('m').set(`k${i}`, 'x'.repeat(60))
      return { room: `r${i % 40}`, update: Y.encodeStateAsUpdate(doc) }
    })
    await storage.append(rows)
    await storage.close()
    const file = join(dataDir, SQLITE_FILE_NAME)
    const db = readFileSync(file)
    // A page well inside the updates table: its header and cells overwritten.
    const page = Math.floor(db.length / 4096 / 2) * 4096
    db.fill(0x41, page, page + 200)
    writeFileSync(file, db)

    const node = await start([], dataDir)
    await waitForOutput(node, /"code":"storage-damaged"[^\n]*failed its integrity check/)
    expect(await (await fetch(`${node.http}/readyz`)).text()).toMatch(
      /ready \(degraded: the database failed its integrity check at start \(log code storage-damaged\)\)/,
    )
    expect(await metricValue(node, 'chainmap_sync_storage_damage_total{where="database"}')).toBe(1)
    await node.stop('SIGTERM')

    // A board whose log lost an edit that later ones build on.
    const holey = tempDataDir()
    const chain = new Y.Doc()
    const steps: Uint8Array[] = []
    chain.on('update', (update: Uint8Array) => steps.push(update))
    chain.getText('t').insert(0, 'a')
    chain.getText('t').insert(1, 'b')
    chain.getText('t').insert(2, 'c')
    const gap = new SqliteStorage(holey)
    await gap.append([{ room: 'holey', update: steps[0] as Uint8Array }])
    await gap.append([{ room: 'holey', update: steps[2] as Uint8Array }])
    await gap.close()
    const second = await start([], holey)
    await expectJoinerSees(second, 'holey', 'a')
    await waitForOutput(
      second,
      /"room":"holey"[^\n]*"code":"storage-damaged"|"code":"storage-damaged"[^\n]*"room":"holey"/,
    )
    expect(await metricValue(second, 'chainmap_sync_storage_damage_total{where="board"}')).toBe(1)
    await second.stop('SIGTERM')

    const empty = await start([], tempDataDir())
    await waitForOutput(empty, /"code":"no-boards"[^\n]*no database in [^\n]* holds no boards/)
  })

  it('L5: a connection is closed when its token expires, with a code that lets a renewed client reconnect', async () => {
    const node = await start()
    const shortLived = await mintToken(secret, { room: 'l5', role: 'edit' }, 2)
    const socket = await openRaw(`${node.url}/l5?token=${shortLived}`)
    sockets.push(socket.ws)
    expect(await socket.closed).toEqual({
      code: 4001,
      reason: 'the link expired: reconnect with a renewed one',
    })
    const again = await openRaw(`${node.url}/l5?token=${shortLived}`)
    expect(await again.closed).toEqual({ code: 4401, reason: 'the token has expired' })
    await expectUnharmed(node)
  })

  it('L5: an operator revokes a board’s links: open connections close, old links are refused, new ones work', async () => {
    const file = join(tempDataDir(), 'revoked.json')
    const node = await start(['--revocations', file])
    const oldView = await token('l5-rev', 'view')
    const open = await raw(node, 'l5-rev', 'edit')
    const elsewhere = await raw(node, 'l5-other', 'edit')

    const revoked = await run(process.execPath, [
      CLI,
      'revoke',
      '--room',
      'l5-rev',
      '--revocations',
      file,
    ])
    expect(revoked.stdout).toMatch(/^links to l5-rev issued before .* are refused/)
    expect(await open.closed).toEqual({ code: 4401, reason: 'this link was revoked' })
    const refused = await openRaw(`${node.url}/l5-rev?token=${oldView}`)
    expect(await refused.closed).toEqual({ code: 4401, reason: 'this link was revoked' })
    // A renewal of a revoked link (a new iat, the link's first issue time kept) is refused too.
    const renewed = await new SignJWT({
      room: 'l5-rev',
      role: 'edit',
      link_iat: Math.floor(Date.now() / 1000) - 3600,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(Date.now() / 1000) + 5)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret))
    const laundered = await openRaw(`${node.url}/l5-rev?token=${renewed}`)
    expect(await laundered.closed).toEqual({ code: 4401, reason: 'this link was revoked' })
    const http = await fetch(`${node.http}/api/rooms/l5-rev/model?token=${oldView}`)
    expect(http.status).toBe(401)
    expect(await http.json()).toMatchObject({ error: 'revoked-token' })
    expect(elsewhere.ws.readyState).toBe(elsewhere.ws.OPEN)

    // Links minted from the next second on work again.
    await sleep(1100)
    const fresh = await raw(node, 'l5-rev', 'view')
    await sleep(300)
    expect(fresh.ws.readyState).toBe(fresh.ws.OPEN)
    await expectUnharmed(node)
  })
})

const story: unknown = JSON.parse(
  readFileSync(
    new URL('../../../packages/sim/scenarios/ecosystem-vs-giant.json', import.meta.url),
    'utf8',
  ),
)

/** Draws the story scenario on `room` with a stock client and waits until the server has it. */
async function drawStory(node: ServerProcess, room: string): Promise<void> {
  const editor = await client(node, room, 'edit')
  const board = boardFromModel(story)
  writeBoardRecords(editor.doc, board.shapes, { schema: createBoardSchema() })
  writeSettings(editor.doc, board.settings)
  await waitFor(
    async () => (await api(node, room, 'snapshot')).headers.get('content-length') !== '2',
    'the board to be stored',
  )
}

async function api(node: ServerProcess, room: string, resource: string, query = '') {
  return fetch(
    `${node.http}/api/rooms/${room}/${resource}?token=${await token(room, 'view')}${query}`,
  )
}
