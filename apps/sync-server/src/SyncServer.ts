import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { Settings } from './env.js'

/** A running chainmap-sync HTTP + websocket server. */
export class SyncServer {
  private readonly http: Server
  private readonly wss: WebSocketServer

  constructor(private readonly settings: Settings) {
    this.wss = new WebSocketServer({ noServer: true })
    this.http = createServer((req, res) => {
      if (req.url === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
        return
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    })
    this.http.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req))
    })
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject)
      this.http.listen(this.settings.port, this.settings.host, () => resolve())
    })
    return (this.http.address() as AddressInfo).port
  }

  /** Closes every connection and stops listening. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.close(1001, 'server shutting down')
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }
}
