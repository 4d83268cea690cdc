import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { readSettings } from './env.js'
import { SyncServer } from './SyncServer.js'

let server: SyncServer | undefined
afterEach(async () => {
  await server?.close()
})

describe('SyncServer', () => {
  it('answers /healthz and accepts websocket connections', async () => {
    server = new SyncServer(readSettings({}, { port: '0', host: '127.0.0.1' }))
    const port = await server.listen()
    const health = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(health.status).toBe(200)
    const ws = new WebSocket(`ws://127.0.0.1:${port}/room`)
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    ws.close()
  })

  it('rejects invalid settings naming the field', () => {
    expect(() => readSettings({ CHAINMAP_SYNC_PORT: 'seventy' })).toThrow(/port/)
  })
})
