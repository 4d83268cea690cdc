import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { frameBinaryMessage } from './wireFrame.js'

const servers: Server[] = []
const sockets: WebSocket[] = []

afterEach(async () => {
  // Upgraded sockets are no longer the HTTP server's to close.
  for (const socket of sockets.splice(0)) socket.terminate()
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

/** A server socket as the sync server holds it: the `ws` connection and the TCP socket under it. */
async function serverSideOfOneConnection(): Promise<{
  ws: WebSocket
  socket: Duplex
  received: Buffer[]
  client: WebSocket
}> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  const server = createServer()
  servers.push(server)
  const accepted = new Promise<{ ws: WebSocket; socket: Duplex }>((resolve) => {
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => resolve({ ws, socket }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  // The stock client offers permessage-deflate; the server must decline it for framing to be ours.
  const client = new WebSocket(`ws://127.0.0.1:${port}`)
  sockets.push(client)
  const received: Buffer[] = []
  client.on('message', (data: Buffer) => received.push(data))
  await new Promise((resolve) => client.once('open', resolve))
  const { ws, socket } = await accepted
  sockets.push(ws)
  return { ws, socket, received, client }
}

function payload(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff)
}

describe('frameBinaryMessage', () => {
  it('frames every payload length class so that the stock ws client reads it back exactly', async () => {
    const { socket, received, client } = await serverSideOfOneConnection()
    // 7-bit, 16-bit and 64-bit length encodings, at and around each boundary.
    const lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000]
    const sent = lengths.map((length, i) => payload(length, i))
    for (const message of sent) socket.write(frameBinaryMessage(message).wire)
    await expect.poll(() => received.length).toBe(sent.length)
    expect(received.map((data) => data.byteLength)).toEqual(lengths)
    for (const [i, data] of received.entries()) expect(new Uint8Array(data)).toEqual(sent[i])
    expect(client.extensions).toBe('')
  })

  it('keeps message order and boundaries when written next to ws.send on the same socket', async () => {
    const { ws, socket, received } = await serverSideOfOneConnection()
    const sent: Uint8Array[] = []
    for (let i = 0; i < 200; i++) {
      const message = payload((i * 977) % 3000, i)
      sent.push(message)
      if (i % 2 === 0) ws.send(message)
      else socket.write(frameBinaryMessage(message).wire)
    }
    await expect.poll(() => received.length).toBe(sent.length)
    for (const [i, data] of received.entries()) expect(new Uint8Array(data)).toEqual(sent[i])
  })

  it('reports the payload size, not the wire size', () => {
    expect(frameBinaryMessage(payload(300, 0))).toMatchObject({ payloadBytes: 300 })
    expect(frameBinaryMessage(payload(300, 0)).wire.byteLength).toBe(304)
  })
})
