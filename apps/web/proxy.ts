import { type NextRequest, NextResponse } from 'next/server'
import { isDevelopment } from './env'

/**
 * The Content-Security-Policy of a page, with the nonce of this response. Scripts run only when
 * they carry the nonce (Next adds it to its own) or were loaded by one that did ('strict-dynamic'):
 * a script injected into the page does not run. Styles stay 'unsafe-inline', as tldraw styles its
 * elements through style attributes; the canvas draws from data: and blob: URLs; the sync server
 * may live on any host (CHAINMAP_SYNC_URL is a runtime setting), so websockets may go anywhere;
 * nobody may frame the app (a board link carries its token).
 */
export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    // Next's dev server evaluates modules; a production build never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Gives every page a fresh nonce and the policy that names it (Next reads it from the request). */
export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64')
  const policy = contentSecurityPolicy(nonce, isDevelopment())
  const headers = new Headers(request.headers)
  headers.set('x-nonce', nonce)
  headers.set('Content-Security-Policy', policy)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set('Content-Security-Policy', policy)
  return response
}

export const config = {
  matcher: [
    {
      // Pages only: static files and images carry no scripts to guard.
      source: '/((?!_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
}
