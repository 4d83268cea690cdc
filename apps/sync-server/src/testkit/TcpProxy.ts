import { connect, createServer, type Server, type Socket } from 'node:net'

/** A TCP proxy whose link can be cut and restored, to play a network outage in tests. */
export class TcpProxy {
  private readonly sockets = new Set<Socket>()
  private linked = true

  private constructor(
    private readonly server: Server,
    /** The port the proxy listens on (127.0.0.1). */
    readonly port: number,
  ) {}

  /** Starts a proxy on a free port of 127.0.0.1 forwarding to `host:port`. */
  static async start(host: string, port: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined
    const server = createServer((client) => proxy?.accept(client, host, port))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0)
    return proxy
  }

  /** Drops every open connection and refuses new ones until {@link TcpProxy.restore}. */
  cut(): void {
    this.linked = false
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
  }

  /** Accepts connections again. */
  restore(): void {
    this.linked = true
  }

  /** Stops the proxy and drops its connections. */
  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private accept(client: Socket, host: string, port: number): void {
    if (!this.linked) {
      client.destroy()
      return
    }
    const upstream = connect(port, host)
    for (const socket of [client, upstream]) {
      this.sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        this.sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  }
}
