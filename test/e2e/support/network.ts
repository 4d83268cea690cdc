import type { Page, WebSocketRoute } from '@playwright/test'
import { syncPort } from './ports.js'

/** A switch for one page's connection to the sync server. */
export interface SyncNetwork {
  /** Drops the page's sync connections and refuses new ones until {@link goOnline}. */
  goOffline(): Promise<void>
  /** Lets the page reconnect (y-websocket retries on its own backoff, ≤ 2.5 s). */
  goOnline(): void
}

/**
 * Routes a page's websockets to the sync server through Playwright, so a test can cut the
 * network: going offline closes both ends of every connection and refuses reconnects, exactly
 * what the provider sees when a laptop loses its Wi-Fi.
 */
export async function controlSyncNetwork(page: Page): Promise<SyncNetwork> {
  let online = true
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>()
  await page.routeWebSocket(new RegExp(`^ws://127\\.0\\.0\\.1:${syncPort}/`), (ws) => {
    if (!online) {
      void ws.close({ code: 1001, reason: 'offline' })
      return
    }
    const server = ws.connectToServer()
    const pair = { page: ws, server }
    open.add(pair)
    ws.onClose(() => open.delete(pair))
  })
  return {
    async goOffline() {
      online = false
      for (const pair of [...open]) {
        open.delete(pair)
        await pair.server.close({ code: 1001, reason: 'offline' })
        await pair.page.close({ code: 1001, reason: 'offline' })
      }
    },
    goOnline() {
      online = true
    },
  }
}
