import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { isValidRoomName } from '@chainmap/board'
import { type Logger, pino } from 'pino'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { AppendBatcher } from './AppendBatcher.js'
import { RevocationList } from './auth/revocations.js'
import { type AccessClaims, verifyToken } from './auth/tokens.js'
import { earlyCommitsPerTurn, openFanout, openStorage } from './backends.js'
import { Connection } from './Connection.js'
import { ConnectionCounter } from './ConnectionCounter.js'
import { CloseCodes } from './closeCodes.js'
import { checkAccessSettings, type Settings } from './env.js'
import type { Fanout } from './fanout/fanout.js'
import { handleHttp } from './httpRoutes.js'
import { createMetrics, type SyncMetrics } from './metrics.js'
import { isDocumentUpdateFrame, readMessage } from './protocol/messages.js'
import { RoomRegistry } from './RoomRegistry.js'
import { pathOf, type RequestInfo, readRequestInfo } from './requestInfo.js'
import { SyncError } from './SyncError.js'
import { SimulationRunner } from './simulation/SimulationRunner.js'
import { encodeStoredRoom } from './storage/encodeStoredRoom.js'
import type { RoomStorage } from './storage/storage.js'

/**
 * Replaceable parts of a {@link SyncServer}; defaults follow the settings (SQLite and this node
 * alone, or PostgreSQL and Redis).
 */
export interface SyncServerParts {
  /** Where logs go; default pino JSON on stdout at `settings.logLevel`. */
  readonly logger?: Logger
  /** Durable storage; default from the settings (see `openStorage`). */
  readonly storage?: RoomStorage
  /** Cross-node fan-out; default from the settings (see `openFanout`). */
  readonly fanout?: Fanout
}

// A readiness probe must answer even when a backend hangs instead of failing.
const READY_TIMEOUT_MS = 3000
// How often the revocations file is checked for changes.
const REVOCATIONS_CHECK_MS = 2000
// How far back /readyz reports boards that could not be loaded.
const LOAD_FAILURES_REPORTED_MS = 10 * 60_000

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return data
}

/**
 * A running chainmap-sync node: HTTP endpoints plus the y-websocket protocol on `ws://host:port/<room>`,
 * with durable append-before-relay storage, optional JWT access, and per-connection limits.
 */
export class SyncServer {
  /** The server's Prometheus metrics. */
  readonly metrics: SyncMetrics
  /** The server's logger. */
  readonly log: Logger
  private readonly http: Server
  private readonly wss: WebSocketServer
  private readonly storage: RoomStorage
  private readonly fanout: Fanout
  private readonly batcher: AppendBatcher
  private readonly rooms: RoomRegistry
  private readonly connections = new Set<Connection>()
  private readonly perIp: ConnectionCounter
  private readonly perRoom: ConnectionCounter
  private readonly simulations: SimulationRunner
  private pingTimer: NodeJS.Timeout | undefined
  private readonly revocations: RevocationList
  private revocationTimer: NodeJS.Timeout | undefined
  private shuttingDown = false
  private closed: Promise<void> | undefined
  private nextConnectionId = 1

  /**
   * @param settings - validated settings (see `readSettings`)
   * @param parts - replaceable logger, storage and fan-out
   */
  constructor(
    private readonly settings: Settings,
    parts: SyncServerParts = {},
  ) {
    checkAccessSettings(settings)
    this.log =
      parts.logger ?? pino({ level: settings.logLevel, base: { service: 'chainmap-sync' } })
    this.metrics = createMetrics()
    this.storage = parts.storage ?? openStorage(settings, { log: this.log })
    this.fanout = parts.fanout ?? openFanout(settings, this.log)
    this.reportStorageAtOpen()
    this.batcher = new AppendBatcher(
      this.storage,
      (seconds, updates) => {
        this.metrics.appendSeconds.observe(seconds)
        this.metrics.updatesAppended.inc(updates)
      },
      earlyCommitsPerTurn(settings),
    )
    this.rooms = new RoomRegistry({
      storage: this.storage,
      batcher: this.batcher,
      fanout: this.fanout,
      metrics: this.metrics,
      log: this.log,
      compactAfter: settings.compactAfter,
      idleMs: settings.roomIdleMs,
      hibernateAfterMs: settings.roomHibernateMs,
      presence: {
        maxStateBytes: settings.maxPresenceBytes,
        maxClientsPerConnection: settings.maxPresencePerConnection,
      },
      limits: { maxBytes: settings.maxRoomBytes, maxItems: settings.maxRoomItems },
      // Storage shared with other nodes may get updates this node's fan-out never delivered.
      catchUpIntervalMs: settings.databaseUrl !== undefined ? settings.catchUpIntervalMs : 0,
    })
    this.revocations = new RevocationList(settings.revocations, (message) =>
      this.log.error({ code: 'revocations-unreadable' }, message),
    )
    this.perIp = new ConnectionCounter(settings.maxConnectionsPerIp)
    this.perRoom = new ConnectionCounter(settings.maxConnectionsPerRoom)
    this.simulations = new SimulationRunner(
      settings.simulationConcurrency,
      settings.simulationTimeoutMs,
      (running) => this.metrics.boardRequests.set(running),
    )
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: settings.maxMessageBytes,
      // Also what lets a room write pre-framed messages next to ws's own (Connection.sendFramed):
      // with a deflate extension ws could hold a frame back and the two would interleave.
      perMessageDeflate: false,
    })
    this.http = createServer((req, res) => {
      handleHttp(req, res, {
        metrics: this.metrics,
        trustProxy: settings.trustProxy,
        shuttingDown: () => this.shuttingDown,
        checkReady: () => this.checkBackends(),
        authorize: (room, token) => this.authorize(room, token),
        roomState: (room) => this.roomState(room),
        simulations: this.simulations,
        maxAnswerBytes: settings.maxAnswerBytes,
      }).catch((error: unknown) => {
        this.log.error({ err: error, path: pathOf(req.url) }, 'HTTP request failed')
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
        res.end('internal error\n')
      })
    })
    // A failed accept is emitted as 'error' on the server: unheard, it would end the process.
    this.http.on('error', (error) => this.log.error({ err: error }, 'HTTP server error'))
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => {})
      this.upgrade(req, socket, head).catch((error: unknown) => {
        this.log.error({ err: error }, 'upgrade failed')
        socket.destroy()
      })
    })
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await this.revocations.refresh()
    this.revocationTimer = setInterval(() => {
      this.revocations
        .refresh()
        .then((changed) => {
          if (changed) this.closeRevoked()
        })
        .catch((error: unknown) =>
          this.log.error({ err: error }, 'applying the revocations failed'),
        )
    }, REVOCATIONS_CHECK_MS)
    this.revocationTimer.unref()
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject)
      this.http.listen(this.settings.port, this.settings.host, () => {
        this.http.off('error', reject)
        resolve()
      })
    })
    this.pingTimer = setInterval(() => {
      for (const connection of this.connections) connection.ping()
    }, this.settings.pingIntervalMs)
    this.pingTimer.unref()
    const port = (this.http.address() as AddressInfo).port
    this.log.info(
      {
        port,
        host: this.settings.host,
        data: this.settings.data,
        auth: this.settings.authSecret !== undefined,
      },
      'chainmap-sync listening',
    )
    if (this.settings.authSecret === undefined) {
      this.log.warn(
        '--open: the server is OPEN, without CHAINMAP_AUTH_SECRET — anyone who can reach it can read and edit every room',
      )
    }
    return port
  }

  /**
   * Stops gracefully: refuses new connections, closes every client with 1012 (the stock client
   * reconnects), commits and compacts every room, closes storage. Idempotent.
   */
  close(): Promise<void> {
    this.closed ??= this.shutdown()
    return this.closed
  }

  private async shutdown(): Promise<void> {
    this.shuttingDown = true
    clearInterval(this.pingTimer)
    clearInterval(this.revocationTimer)
    const httpClosed = new Promise<void>((resolve) => this.http.close(() => resolve()))
    this.http.closeIdleConnections()
    await this.rooms.closeAll(CloseCodes.serviceRestart, 'server restarting')
    for (const connection of this.connections)
      connection.close(CloseCodes.serviceRestart, 'server restarting')
    await Promise.race([httpClosed, new Promise((resolve) => setTimeout(resolve, 2500).unref())])
    this.http.closeAllConnections()
    for (const connection of this.connections) connection.terminate()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
    await this.simulations.close()
    await this.fanout.close()
    await this.storage.close()
    this.log.info('chainmap-sync stopped')
  }

  /** Says, loudly, what opening storage found: skipped journal damage, a failed integrity check, no boards. */
  private reportStorageAtOpen(): void {
    const report = this.storage.openReport
    if (!report) return
    for (const damage of report.journalDamage) {
      if (damage.atEnd) {
        this.log.warn(
          { code: 'journal-torn-end', at: damage.at, bytes: damage.bytes },
          'the update journal ended in a record cut short (a crash mid-write; that update was never acknowledged): skipped',
        )
        continue
      }
      this.metrics.storageDamage.inc({ where: 'journal' })
      this.log.error(
        { code: 'storage-damaged', at: damage.at, bytes: damage.bytes },
        `the update journal is damaged: ${damage.bytes} bytes at offset ${damage.at} held no whole record and were skipped; the records after them were recovered`,
      )
    }
    if (report.integrityProblems.length > 0) {
      this.metrics.storageDamage.inc({ where: 'database' })
      this.log.error(
        { code: 'storage-damaged', problems: report.integrityProblems.slice(0, 20) },
        'the database failed its integrity check (PRAGMA quick_check): boards may be served in part; restore it from a backup (docs/self-hosting.md)',
      )
    }
    if (report.rooms === 0) {
      this.log.warn(
        { code: 'no-boards', data: this.settings.data, existed: report.existed },
        `${report.existed ? 'the database' : 'no database'} in ${this.settings.data} holds no boards: if this server held boards before, its data folder is not the one it used (check --data / CHAINMAP_DATA)`,
      )
    }
  }

  /**
   * Ready when storage answers: without it nothing can be committed. A fan-out outage (Redis down)
   * only degrades the node: edits still reach other nodes through storage within the catch-up
   * interval, so it stays in rotation, and says so.
   */
  private async checkBackends(): Promise<string> {
    const [storage, fanout] = await Promise.allSettled([
      withTimeout(this.storage.ping(), READY_TIMEOUT_MS),
      withTimeout(this.fanout.ping(), READY_TIMEOUT_MS),
    ])
    if (storage.status === 'rejected') {
      throw new Error(`storage unreachable: ${(storage.reason as Error).message}`)
    }
    const unloadable = this.rooms.recentLoadFailures(LOAD_FAILURES_REPORTED_MS)
    const problems: string[] = []
    if ((this.storage.openReport?.integrityProblems.length ?? 0) > 0) {
      problems.push('the database failed its integrity check at start (log code storage-damaged)')
    }
    if (unloadable > 0) {
      problems.push(
        `${unloadable} board${unloadable === 1 ? '' : 's'} could not be loaded in the last ${LOAD_FAILURES_REPORTED_MS / 60_000} minutes (log code room-load-failed)`,
      )
    }
    const boards = problems.length > 0 ? problems.join('; ') : undefined
    if (fanout.status === 'rejected') {
      this.log.warn({ err: fanout.reason }, 'readyz: fan-out unreachable')
      return `ready (degraded: fan-out unreachable: ${(fanout.reason as Error).message}; edits from other nodes arrive through storage every ${this.settings.catchUpIntervalMs} ms, presence stays on each node${boards ? `; ${boards}` : ''})`
    }
    // One board that cannot load is no reason to take the node out of rotation: say so, stay ready.
    return boards ? `ready (degraded: ${boards})` : 'ready'
  }

  private async authorize(room: string, token: string | null): Promise<AccessClaims> {
    if (this.settings.authSecret === undefined) return { room, role: 'edit' }
    const claims = await verifyToken(this.settings.authSecret, token, room)
    if (this.revocations.isRevoked(room, claims.issuedAt ?? 0)) {
      throw new SyncError('revoked-token', 'this link was revoked', CloseCodes.unauthorized)
    }
    return claims
  }

  /** Closes every connection whose link the revocations file now revokes. */
  private closeRevoked(): void {
    for (const connection of this.connections) {
      const { room, issuedAt } = connection.info
      if (issuedAt === undefined || !this.revocations.isRevoked(room, issuedAt)) continue
      connection.kick(
        new SyncError('revoked-token', 'this link was revoked', CloseCodes.unauthorized),
      )
    }
  }

  private async roomState(name: string): Promise<Uint8Array> {
    await this.batcher.flush()
    const loaded = this.rooms.get(name)
    if (loaded) {
      await loaded.ready
      // Shared storage may hold edits other nodes committed that this node has not received yet.
      if (this.settings.databaseUrl !== undefined) await loaded.catchUp()
      // A room closed meanwhile (unloaded, reloading) holds nothing: read storage instead.
      if (loaded.live) return loaded.encodeState()
    }
    return encodeStoredRoom(await this.storage.load(name))
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let info: RequestInfo
    try {
      info = readRequestInfo(req, this.settings.trustProxy)
    } catch (error) {
      if (!(error instanceof SyncError)) throw error
      // Not even a path to name a room by: answered like any bad HTTP request, before a handshake.
      this.metrics.refused.inc({ reason: error.code })
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${error.message}\n`,
      )
      return
    }
    const room = info.path
    let refusal: SyncError | undefined
    let claims: AccessClaims = { room, role: 'edit' }
    if (this.shuttingDown) {
      refusal = new SyncError('shutting-down', 'server restarting', CloseCodes.serviceRestart)
    } else if (!isValidRoomName(room)) {
      refusal = new SyncError(
        'invalid-room-name',
        'invalid room name: 1–128 of A–Z a–z 0–9 . _ - starting with a letter or digit',
        CloseCodes.badRequest,
      )
    } else {
      try {
        claims = await this.authorize(room, info.token)
      } catch (error) {
        refusal =
          error instanceof SyncError
            ? error
            : new SyncError('invalid-token', 'the token is invalid', CloseCodes.unauthorized)
      }
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!refusal && this.shuttingDown) {
        // Shutdown began while the token was being checked.
        refusal = new SyncError('shutting-down', 'server restarting', CloseCodes.serviceRestart)
      }
      // Slots are taken only here: `ws` drops a handshake it cannot complete (no key, a socket
      // closed while the token was checked…) without calling back, and would leave them taken.
      refusal ??= this.takeSlots(info.ip, room)
      if (refusal) {
        this.metrics.refused.inc({ reason: refusal.code })
        this.log.info(
          { ip: info.ip, room: room.slice(0, 128), code: refusal.code },
          `refused: ${refusal.message}`,
        )
        ws.on('error', () => {})
        ws.close(refusal.closeCode, refusal.message)
        setTimeout(() => ws.terminate(), 2000).unref()
        return
      }
      this.attach(ws, socket, claims, info.ip)
    })
  }

  /** Takes a connection slot for the address and one for the room, or neither and says why not. */
  private takeSlots(ip: string, room: string): SyncError | undefined {
    if (!this.perIp.tryAdd(ip)) {
      return new SyncError(
        'too-many-connections-per-ip',
        `more than ${this.settings.maxConnectionsPerIp} connections from this address`,
        CloseCodes.tooManyConnections,
      )
    }
    if (!this.perRoom.tryAdd(room)) {
      this.perIp.remove(ip)
      return new SyncError(
        'too-many-connections-per-room',
        `more than ${this.settings.maxConnectionsPerRoom} connections in this room`,
        CloseCodes.tooManyConnections,
      )
    }
    return undefined
  }

  private attach(ws: WebSocket, socket: Duplex, claims: AccessClaims, ip: string): void {
    const { room: roomName, role } = claims
    const id = this.nextConnectionId++
    const log = this.log.child({ conn: id, room: roomName, role })
    const connection = new Connection(
      ws,
      socket,
      {
        id,
        room: roomName,
        role,
        ip,
        ...(claims.issuedAt !== undefined ? { issuedAt: claims.issuedAt } : {}),
      },
      {
        maxQueuedBytes: this.settings.maxQueuedBytes,
        updateRate: this.settings.updateRate,
        updateBurst: this.settings.updateBurst,
        presenceRate: this.settings.presenceRate,
        presenceBurst: this.settings.presenceBurst,
        byteRate: this.settings.byteRate,
        byteBurst: this.settings.byteBurst,
      },
      this.metrics,
      log,
    )
    this.connections.add(connection)
    if (claims.expiresAt !== undefined) connection.expireAt(claims.expiresAt)
    this.metrics.connections.inc()
    log.debug({ ip }, 'connected')
    const room = this.rooms.acquire(roomName)
    room.admit(connection)

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!connection.open) return
      const receivedAt = performance.now()
      try {
        if (!isBinary) {
          throw new SyncError(
            'text-frame',
            'text frames are not part of the protocol',
            CloseCodes.badRequest,
          )
        }
        const bytes = toBytes(data)
        this.metrics.bytesIn.inc(bytes.byteLength)
        connection.takeBytes(bytes.byteLength)
        if (role === 'view' && isDocumentUpdateFrame(bytes)) {
          // Dropped unread, but counted: a viewer's edits go nowhere, however fast they come.
          this.metrics.messagesIn.inc({ type: 'viewUpdateDropped' })
          connection.takeUpdateToken()
          return
        }
        const message = readMessage(bytes)
        this.metrics.messagesIn.inc({ type: message.type })
        room.receive(connection, message, receivedAt)
      } catch (error) {
        connection.reject(error)
      }
    })
    ws.on('pong', () => {
      connection.alive = true
    })
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.metrics.kicked.inc({ reason: 'message-too-large' })
        log.warn(
          { code: 'message-too-large', closeCode: CloseCodes.messageTooBig },
          `frame larger than ${this.settings.maxMessageBytes} bytes`,
        )
      } else {
        this.metrics.kicked.inc({ reason: 'malformed-frame' })
        log.warn(
          { code: 'malformed-frame', wsCode: error.code },
          `websocket error: ${error.message}`,
        )
      }
    })
    ws.on('close', (code: number) => {
      this.connections.delete(connection)
      this.metrics.connections.dec()
      this.perIp.remove(ip)
      this.perRoom.remove(roomName)
      try {
        room.leave(connection)
        this.rooms.released(room)
      } catch (error) {
        // An event handler's throw would end the process: the room's own guard normally stops it.
        this.metrics.roomErrors.inc({ where: 'leave' })
        log.error({ err: error }, 'leaving the room failed')
      }
      log.debug({ code }, 'disconnected')
    })
  }
}
