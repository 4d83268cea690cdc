import type { IncomingMessage } from 'node:http'
import { CloseCodes } from './closeCodes.js'
import { SyncError } from './SyncError.js'

/** Where a request is going and who sent it. */
export interface RequestInfo {
  /** The URL path without the leading slash, not decoded. */
  readonly path: string
  /** The `token` query parameter, or a bearer token from the Authorization header. */
  readonly token: string | null
  /** Remote address, or the one the trusted proxies forwarded (see {@link readRequestInfo}). */
  readonly ip: string
  /** The query parameters. */
  readonly query: URLSearchParams
}

/**
 * Reads path, token and client address from a request; throws a {@link SyncError}
 * (`malformed-url`) for a request target that is not a URL path (`//`, `/\`…).
 */
export function readRequestInfo(req: IncomingMessage, trustedProxies: number): RequestInfo {
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
  if (trustedProxies > 0)
    ip = forwardedAddress(req.headers['x-forwarded-for'], trustedProxies) ?? ip
  return { path: url.pathname.slice(1), token, ip, query: url.searchParams }
}

/**
 * The client address behind `trustedProxies` proxies that each append the address they were
 * reached from to X-Forwarded-For: the entry that many from the right. Entries further left were
 * written by the client itself and prove nothing. With fewer entries, the leftmost one.
 */
export function forwardedAddress(
  header: string | string[] | undefined,
  trustedProxies: number,
): string | undefined {
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  return entries[Math.max(0, entries.length - trustedProxies)]
}

/** The request target without its query, which may carry a token: what logs may show. */
export function pathOf(target = '/'): string {
  const query = target.indexOf('?')
  return query === -1 ? target : target.slice(0, query)
}
