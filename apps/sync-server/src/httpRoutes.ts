import type { IncomingMessage, ServerResponse } from 'node:http'
import { isValidRoomName } from '@chainmap/board'
import type { AccessClaims } from './auth/tokens.js'
import type { SyncMetrics } from './metrics.js'
import { type RequestInfo, readRequestInfo } from './requestInfo.js'
import { SyncError } from './SyncError.js'
import type { BoardJob, BoardReply } from './simulation/BoardJob.js'
import type { SimulationRunner } from './simulation/SimulationRunner.js'
import { readSimulationQuery } from './simulation/simulationQuery.js'

/** What the HTTP routes need from the server. */
export interface HttpContext {
  readonly metrics: SyncMetrics
  /** Proxies of the operator's in front of the server (see `forwardedAddress`). */
  readonly trustProxy: number
  /** Whether the server is shutting down (then it is not ready). */
  readonly shuttingDown: () => boolean
  /**
   * Resolves with the readiness line if storage answers (naming a degraded fan-out), rejects if
   * storage does not.
   */
  readonly checkReady: () => Promise<string>
  /** Authorizes `token` for `room` like a websocket connection. */
  readonly authorize: (room: string, token: string | null) => Promise<AccessClaims>
  /** The room's current committed state as one Yjs update. */
  readonly roomState: (room: string) => Promise<Uint8Array>
  /** Bounds board requests and answers models and simulations off the event loop. */
  readonly simulations: SimulationRunner
  /** Largest `/model` or `/simulation` answer, in bytes of JSON. */
  readonly maxAnswerBytes: number
}

const ROOM_PATH = /^api\/rooms\/([^/]+)\/(snapshot|model|simulation)$/

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${body}\n`)
}

function json(res: ServerResponse, status: number, body: string, extra: object = {}): void {
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...extra,
    })
    .end(body)
}

/** A JSON error answer: `{ "error": <code>, "message": <sentence>, ...details }`. */
function jsonError(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  details: object = {},
): void {
  json(res, status, JSON.stringify({ error, message, ...details }))
}

/**
 * Serves `/healthz`, `/readyz`, `/metrics` and, per room, `GET /api/rooms/<room>/snapshot`,
 * `/model` and `/simulation`; anything else is 404. Never throws: failures become 4xx/5xx answers.
 */
export async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  context: HttpContext,
): Promise<void> {
  let info: RequestInfo
  try {
    info = readRequestInfo(req, context.trustProxy)
  } catch (error) {
    if (error instanceof SyncError) return text(res, 400, error.message)
    throw error
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'method not allowed')
  if (info.path === 'healthz') return text(res, 200, 'ok')
  if (info.path === 'readyz') {
    if (context.shuttingDown()) return text(res, 503, 'shutting down')
    try {
      return text(res, 200, await context.checkReady())
    } catch (error) {
      return text(res, 503, (error as Error).message)
    }
  }
  if (info.path === 'metrics') {
    const body = await context.metrics.registry.metrics()
    res.writeHead(200, { 'content-type': context.metrics.registry.contentType }).end(body)
    return
  }
  const match = ROOM_PATH.exec(info.path)
  if (!match) return text(res, 404, 'not found')
  const room = match[1] ?? ''
  const resource = match[2]
  const asJson = resource !== 'snapshot'
  if (!isValidRoomName(room)) {
    const message = 'invalid room name: 1–128 of A–Z a–z 0–9 . _ - starting with a letter or digit'
    return asJson ? jsonError(res, 400, 'invalid-room-name', message) : text(res, 400, message)
  }
  try {
    await context.authorize(room, info.token)
  } catch (error) {
    if (!(error instanceof SyncError)) throw error
    const status = error.code === 'wrong-room' ? 403 : 401
    return asJson
      ? jsonError(res, status, error.code, error.message)
      : text(res, status, error.message)
  }
  let job: BoardJob | undefined
  if (resource === 'model') job = { kind: 'model', maxBytes: context.maxAnswerBytes }
  if (resource === 'simulation') {
    const query = readSimulationQuery(info.query)
    if (!query.ok) return jsonError(res, 400, 'invalid-query', query.message)
    job = { kind: 'simulation', ...query, maxBytes: context.maxAnswerBytes }
  }
  // Before any work: a refused request must cost the relay nothing.
  let release: () => void
  try {
    release = context.simulations.reserve()
  } catch (error) {
    if (!(error instanceof SyncError)) throw error
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' })
    res.end(JSON.stringify({ error: error.code, message: error.message }))
    return
  }
  try {
    const state = await context.roomState(room)
    if (!job) return serveSnapshot(res, room, state)
    await answerBoardJob(res, context, state, job)
  } finally {
    release()
  }
}

async function answerBoardJob(
  res: ServerResponse,
  context: HttpContext,
  state: Uint8Array,
  job: BoardJob,
): Promise<void> {
  let reply: BoardReply
  try {
    reply = await context.simulations.run(state, job)
  } catch (error) {
    if (error instanceof SyncError && error.code === 'simulation-timeout') {
      return jsonError(res, 413, error.code, error.message)
    }
    throw error
  }
  if (reply.ok) return json(res, 200, reply.json)
  const { code, message, problems } = reply
  if (code === 'FAILED') throw new Error(message)
  if (code === 'invalid-model') return jsonError(res, 422, code, message, { problems })
  if (code === 'answer-too-large') return jsonError(res, 413, code, message)
  if (code === 'BAD_OPTIONS') return jsonError(res, 400, code, message)
  if (SIMULATION_REFUSALS.has(code)) return jsonError(res, 413, code, message)
  // Anything else is a BoardError: the board cannot be read as a model by this server.
  return jsonError(res, 409, code, message)
}

// SimulationError codes for a board the engine will not run (too big for it).
const SIMULATION_REFUSALS = new Set(['TOO_MANY_STATES', 'TOO_MANY_PRODUCTS'])

function serveSnapshot(res: ServerResponse, room: string, state: Uint8Array): void {
  res
    .writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': state.byteLength,
      'content-disposition': `attachment; filename="${room}.ydoc"`,
      'cache-control': 'no-store',
    })
    .end(state)
}
