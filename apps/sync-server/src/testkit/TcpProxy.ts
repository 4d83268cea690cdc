import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy whose link can be cut (connections closed) or stalled (connections kept open, nothing
 * forwarded: a blackholed network) and restored, to play network outages in tests.
 */
export class TcpProxy {
  private readonly pairs = new Set<readonly [Socket, Socket]>()
  private linked = true
  private stalled = false

  private constructor(
    private readonly server: Server,
    /** The port the proxy listens on (127.0.0.1). */
    readonly port: number,
    private target: { host: string; port: number },
  ) {}

  /** Starts a proxy on a free port of 127.0.0.1 forwarding to `host:port`. */
  static async start(host: string, port: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined
    const server = createServer((client) => proxy?.accept(client))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0, {
      host,
      port,
    })
    return proxy
  }

  /**
   * Forwards new connections to `host:port` from now on, as a virtual IP or a pooler does once a
   * failover repoints it; open connections keep their old upstream until cut.
   */
  retarget(host: string, port: number): void {
    this.target = { host, port }
  }

  /** Drops every open connection and refuses new ones until {@link TcpProxy.restore}. */
  cut(): void {
    this.linked = false
    for (const [client, upstream] of this.pairs) {
      client.destroy()
      upstream.destroy()
    }
    this.pairs.clear()
  }

  /**
   * Keeps every connection open but forwards nothing either way, and accepts new connections
   * without forwarding them, until {@link TcpProxy.restore}: what was sent meanwhile waits in the
   * proxy, as it would in a network that drops packets and later heals.
   */
  stall(): void {
    this.stalled = true
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream)
      upstream.unpipe(client)
      client.pause()
      upstream.pause()
    }
  }

  /** Accepts connections again, and forwards again after a stall. */
  restore(): void {
    this.linked = true
    if (!this.stalled) return
    this.stalled = false
    for (const pair of this.pairs) this.forward(pair)
  }

  /** Stops the proxy and drops its connections. */
  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private accept(client: Socket): void {
    if (!this.linked) {
      client.destroy()
      return
    }
    const upstream = connect(this.target.port, this.target.host)
    const pair = [client, upstream] as const
    this.pairs.add(pair)
    for (const socket of pair) {
      socket.on('error', () => {})
      socket.on('close', () => {
        this.pairs.delete(pair)
        client.destroy()
        upstream.destroy()
      })
    }
    if (!this.stalled) this.forward(pair)
  }

  private forward([client, upstream]: readonly [Socket, Socket]): void {
    client.pipe(upstream)
    upstream.pipe(client)
  }
}
