import type { IncomingMessage, ServerResponse } from 'node:http'
import { isValidRoomName } from '@chainmap/board'
import type { AccessClaims } from './auth/tokens.js'
import type { SyncMetrics } from './metrics.js'
import { readRequestInfo } from './requestInfo.js'
import { SyncError } from './SyncError.js'

/** What the HTTP routes need from the server. */
export interface HttpContext {
  readonly metrics: SyncMetrics
  readonly trustProxy: boolean
  /** Whether the server is shutting down (then it is not ready). */
  readonly shuttingDown: () => boolean
  /** Resolves if storage answers. */
  readonly checkStorage: () => Promise<void>
  /** Authorizes `token` for `room` like a websocket connection. */
  readonly authorize: (room: string, token: string | null) => Promise<AccessClaims>
  /** The room's current committed state as one Yjs update. */
  readonly roomState: (room: string) => Promise<Uint8Array>
}

const SNAPSHOT_PATH = /^api\/rooms\/([^/]+)\/snapshot$/

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${body}\n`)
}

/**
 * Serves `/healthz`, `/readyz`, `/metrics` and `GET /api/rooms/<room>/snapshot`; anything else is
 * 404. Never throws: failures become 4xx/5xx answers.
 */
export async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  context: HttpContext,
): Promise<void> {
  const info = readRequestInfo(req, context.trustProxy)
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'method not allowed')
  if (info.path === 'healthz') return text(res, 200, 'ok')
  if (info.path === 'readyz') {
    if (context.shuttingDown()) return text(res, 503, 'shutting down')
    try {
      await context.checkStorage()
      return text(res, 200, 'ready')
    } catch (error) {
      return text(res, 503, `storage unreachable: ${(error as Error).message}`)
    }
  }
  if (info.path === 'metrics') {
    const body = await context.metrics.registry.metrics()
    res.writeHead(200, { 'content-type': context.metrics.registry.contentType }).end(body)
    return
  }
  const snapshot = SNAPSHOT_PATH.exec(info.path)
  if (snapshot) {
    const room = snapshot[1] ?? ''
    if (!isValidRoomName(room)) return text(res, 400, 'invalid room name')
    try {
      await context.authorize(room, info.token)
    } catch (error) {
      if (error instanceof SyncError) {
        return text(res, error.code === 'wrong-room' ? 403 : 401, error.message)
      }
      throw error
    }
    const state = await context.roomState(room)
    res
      .writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': state.byteLength,
        'content-disposition': `attachment; filename="${room}.ydoc"`,
        'cache-control': 'no-store',
      })
      .end(state)
    return
  }
  return text(res, 404, 'not found')
}
