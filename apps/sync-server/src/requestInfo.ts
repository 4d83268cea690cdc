import type { IncomingMessage } from 'node:http'
import { CloseCodes } from './closeCodes.js'
import { SyncError } from './SyncError.js'

/** Where a request is going and who sent it. */
export interface RequestInfo {
  /** The URL path without the leading slash, not decoded. */
  readonly path: string
  /** The `token` query parameter, or a bearer token from the Authorization header. */
  readonly token: string | null
  /** Remote address (first X-Forwarded-For entry when `trustProxy`). */
  readonly ip: string
  /** The query parameters. */
  readonly query: URLSearchParams
}

/**
 * Reads path, token and client address from a request; throws a {@link SyncError}
 * (`malformed-url`) for a request target that is not a URL path (`//`, `/\`…).
 */
export function readRequestInfo(req: IncomingMessage, trustProxy: boolean): RequestInfo {
  let url: URL
  try {
    url = new URL(req.url ?? '/', 'http://localhost')
  } catch {
    throw new SyncError(
      'malformed-url',
      `the request target ${JSON.stringify(pathOf(req.url).slice(0, 128))} is not a URL path`,
      CloseCodes.badRequest,
    )
  }
  let token = url.searchParams.get('token')
  const authorization = req.headers.authorization
  if (!token && authorization?.startsWith('Bearer ')) token = authorization.slice(7).trim()
  let ip = req.socket.remoteAddress ?? 'unknown'
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for']
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
    if (first) ip = first
  }
  return { path: url.pathname.slice(1), token, ip, query: url.searchParams }
}

/** The request target without its query, which may carry a token: what logs may show. */
export function pathOf(target = '/'): string {
  const query = target.indexOf('?')
  return query === -1 ? target : target.slice(0, query)
}
