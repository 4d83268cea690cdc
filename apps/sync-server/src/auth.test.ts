import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mintToken } from './auth/tokens.js'
import { readMessage } from './protocol/messages.js'
import { VIEW_ONLY_REASON } from './Room.js'
import { connectClient, openRaw, type TestClient, waitFor } from './testkit/clients.js'
import { type ServerProcess, startServer } from './testkit/serverProcess.js'

const secret = 'auth-matrix-secret-0123456789abcdef-xyz'
let server: ServerProcess
const clients: TestClient[] = []

beforeAll(async () => {
  server = await startServer({ env: { CHAINMAP_AUTH_SECRET: secret } })
})
afterAll(async () => {
  for (const c of clients) c.destroy()
  await server.stop('SIGTERM')
})

async function expired(): Promise<string> {
  return new SignJWT({ room: 'secret-room', role: 'edit' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
    .sign(new TextEncoder().encode(secret))
}

describe('access with CHAINMAP_AUTH_SECRET', () => {
  const refused: [string, () => Promise<string | null>, number][] = [
    ['no token', async () => null, 4401],
    [
      'a forged token',
      () =>
        mintToken('forger-secret-0123456789abcdef-000000', { room: 'secret-room', role: 'edit' }),
      4401,
    ],
    ['an expired token', expired, 4401],
    [
      'a token for another room',
      () => mintToken(secret, { room: 'other-room', role: 'edit' }),
      4403,
    ],
  ]

  beforeAll(async () => {
    const editor = connectClient(server.url, 'secret-room', {
      token: await mintToken(secret, { room: 'secret-room', role: 'edit' }),
    })
    clients.push(editor)
    await editor.firstSynced
    editor.doc.getText('t').insert(0, 'confidential')
    const check = connectClient(server.url, 'secret-room', {
      token: await mintToken(secret, { room: 'secret-room', role: 'view' }),
    })
    clients.push(check)
    await waitFor(
      () => check.doc.getText('t').toString() === 'confidential',
      'content to be stored',
    )
  })

  for (const [name, token, code] of refused) {
    it(`refuses ${name} with ${code}, sends nothing, and the stock client stops retrying`, async () => {
      const value = await token()
      const raw = await openRaw(`${server.url}/secret-room${value ? `?token=${value}` : ''}`)
      expect((await raw.closed).code).toBe(code)
      expect(raw.frames).toHaveLength(0)

      const c = connectClient(server.url, 'secret-room', value ? { token: value } : {})
      clients.push(c)
      const closed = new Promise<{ code: number }>((resolve) => c.provider.on('closed', resolve))
      expect((await closed).code).toBe(code)
      expect(c.provider.shouldConnect).toBe(false)
      expect(c.doc.getText('t').toString()).toBe('')
      const snapshot = await fetch(
        `${server.http}/api/rooms/secret-room/snapshot${value ? `?token=${value}` : ''}`,
      )
      expect(snapshot.status).toBe(code === 4403 ? 403 : 401)
    })
  }

  it('lets view see everything, drops its edits, and tells it so', async () => {
    const viewToken = await mintToken(secret, { room: 'secret-room', role: 'view' })
    const raw = await openRaw(`${server.url}/secret-room?token=${viewToken}`)
    await waitFor(
      () => raw.frames.some((f) => readMessage(f).type === 'permissionDenied'),
      'auth message',
    )
    const notice = raw.frames.map((f) => readMessage(f)).find((m) => m.type === 'permissionDenied')
    expect(notice).toEqual({ type: 'permissionDenied', reason: VIEW_ONLY_REASON })
    raw.ws.close()

    const viewer = connectClient(server.url, 'secret-room', { token: viewToken })
    clients.push(viewer)
    await viewer.firstSynced
    expect(viewer.doc.getText('t').toString()).toBe('confidential')
    viewer.doc.getText('t').insert(0, 'VANDALISM ')
    const editToken = await mintToken(secret, { room: 'secret-room', role: 'edit' })
    const editor = connectClient(server.url, 'secret-room', { token: editToken })
    clients.push(editor)
    await editor.firstSynced
    editor.doc.getMap('m').set('after', true)
    // The viewer still receives edits, while its own never reached anyone.
    await waitFor(
      () => viewer.doc.getMap('m').get('after') === true,
      'viewer to receive later edits',
    )
    expect(editor.doc.getText('t').toString()).toBe('confidential')
    const snapshot = await fetch(`${server.http}/api/rooms/secret-room/snapshot?token=${viewToken}`)
    expect(snapshot.status).toBe(200)
    const stored = new Y.Doc()
    Y.applyUpdate(stored, new Uint8Array(await snapshot.arrayBuffer()))
    expect(stored.getText('t').toString()).toBe('confidential')
  })

  it('lets edit read and write', async () => {
    const token = await mintToken(secret, { room: 'secret-room', role: 'edit' })
    const a = connectClient(server.url, 'secret-room', { token })
    const b = connectClient(server.url, 'secret-room', { token })
    clients.push(a, b)
    await Promise.all([a.firstSynced, b.firstSynced])
    a.doc.getMap('m').set('edit', 'works')
    await waitFor(() => b.doc.getMap('m').get('edit') === 'works', 'edit to reach b')
  })

  it('counts refusals by reason in /metrics', async () => {
    const metrics = await (await fetch(`${server.http}/metrics`)).text()
    for (const reason of ['missing-token', 'invalid-token', 'expired-token', 'wrong-room']) {
      expect(metrics).toMatch(
        new RegExp(`chainmap_sync_connections_refused_total\\{reason="${reason}"\\} [1-9]`),
      )
    }
  })
})
