import type { NextConfig } from 'next'
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants'

/**
 * The Content-Security-Policy of every page. Scripts and styles come from this origin only (the
 * inline ones are Next's bootstrap and tldraw's styles); the canvas draws from data: and blob:
 * URLs; the sync server may live on any host (CHAINMAP_SYNC_URL is a runtime setting), so
 * websockets may go anywhere; nobody may frame the app (a board link carries its token).
 */
function contentSecurityPolicy(development: boolean): string {
  return [
    "default-src 'self'",
    // Next's dev server evaluates modules; a production build never does.
    `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ''}`,
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

export default function config(phase: string): NextConfig {
  const development = phase === PHASE_DEVELOPMENT_SERVER
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    async headers() {
      return [
        {
          source: '/:path*',
          headers: [
            { key: 'Content-Security-Policy', value: contentSecurityPolicy(development) },
            { key: 'X-Frame-Options', value: 'DENY' },
            { key: 'X-Content-Type-Options', value: 'nosniff' },
            // Board URLs carry their access token: never hand them to another site.
            { key: 'Referrer-Policy', value: 'no-referrer' },
          ],
        },
      ]
    },
  }
}
