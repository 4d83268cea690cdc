import type { NextConfig } from 'next'

/** The Content-Security-Policy comes from proxy.ts (a nonce per response); the rest is here. */
export default function config(): NextConfig {
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    async headers() {
      return [
        {
          source: '/:path*',
          headers: [
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
