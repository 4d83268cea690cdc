import { fork } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { frameBinaryMessage, writeUpdate } from '@chainmap/sync-server'
import type WebSocket from 'ws'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'

const RECEIVER_SCRIPT = fileURLToPath(new URL('./relayReceivers.js', import.meta.url))
const RECEIVERS = 99
const REPEATS = 3

interface Accepted {
  readonly ws: WebSocket
  readonly socket: Duplex
}

/** The frame of one relayed cursor update, as a room relays it. */
function relayedFrame(): Uint8Array {
  const doc = new Y.Doc()
  let update: Uint8Array = new Uint8Array()
  doc.on('update', (u: Uint8Array) => {
    update = u
  })
  doc.getMap('cursor').set('client-17', 'cm!p0-17!412!123456.789!')
  return writeUpdate(update)
}

async function cpuPerWrite(
  broadcasts: number,
  writes: number,
  broadcast: () => void,
): Promise<{ user: number; system: number }> {
  const before = process.cpuUsage()
  for (let i = 0; i < broadcasts; i++) {
    broadcast()
    // Let the sockets drain now and then, as the event loop does between updates.
    if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve))
  }
  const used = process.cpuUsage(before)
  return { user: used.user / writes, system: used.system / writes }
}

/**
 * One relayed update written to every socket of a 100-client room, two ways: `ws.send` per socket
 * (ws frames the message again for each), and the sync server's way, the message framed once
 * (`frameBinaryMessage`) and the same buffer written to each socket. The receivers live in another
 * process, so the kernel's loopback work is real; CPU time is this process's, per socket write.
 * Returns the markdown table.
 */
export async function relayWriteScenario(broadcasts: number): Promise<string[]> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  const http = createServer()
  const accepted: Accepted[] = []
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => accepted.push({ ws, socket }))
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port
  const child = fork(RECEIVER_SCRIPT, [String(port), String(RECEIVERS)])
  try {
    await new Promise((resolve, reject) => {
      child.once('message', resolve)
      child.once('exit', (code) => reject(new Error(`receiver process exited with ${code}`)))
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const frame = relayedFrame()
    const ways: Record<string, () => void> = {
      '`ws.send` per socket': () => {
        for (const { ws } of accepted) ws.send(frame)
      },
      'framed once, `socket.write` per socket': () => {
        const framed = frameBinaryMessage(frame)
        for (const { socket } of accepted) socket.write(framed.wire)
      },
    }
    const lines = [
      `one ${frame.byteLength}-byte update to ${accepted.length} sockets of another process, ${broadcasts} times per way and repeat`,
      '',
      '| way | repeat | CPU per socket write | of which user | of which system |',
      '| --- | --- | --- | --- | --- |',
    ]
    for (let repeat = 1; repeat <= REPEATS; repeat++) {
      // Alternate which way goes first, so that neither always meets the colder machine.
      const order = Object.entries(ways)
      if (repeat % 2 === 0) order.reverse()
      for (const [way, broadcast] of order) {
        const { user, system } = await cpuPerWrite(
          broadcasts,
          broadcasts * accepted.length,
          broadcast,
        )
        lines.push(
          `| ${way} | ${repeat} | ${(user + system).toFixed(2)} µs | ${user.toFixed(2)} µs | ${system.toFixed(2)} µs |`,
        )
        await new Promise((resolve) => setTimeout(resolve, 300))
      }
    }
    return lines
  } finally {
    child.removeAllListeners('exit')
    child.kill()
    for (const { ws } of accepted) ws.terminate()
    http.close()
  }
}
