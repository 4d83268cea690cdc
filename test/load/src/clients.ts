import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { ServerKind } from './jobs.js'

/** One document client: a Y.Doc kept in sync with one room by the server's own client library. */
export interface Client {
  readonly doc: Y.Doc
  /** Whether the initial sync with the server finished. */
  synced(): boolean
  /** Whether the websocket is open. */
  connected(): boolean
  destroy(): void
}

// Both libraries get the `ws` package as their WebSocket, so client-side costs are comparable.
const WebSocketImpl = WebSocket as unknown as typeof globalThis.WebSocket

function yWebsocketClient(url: string, room: string): Client {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocketImpl,
    disableBc: true,
  })
  return {
    doc,
    synced: () => provider.synced,
    connected: () => provider.wsconnected,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

function hocuspocusClient(url: string, room: string): Client {
  const doc = new Y.Doc()
  // One socket per client (no multiplexing), as each browser tab would have.
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocketImpl })
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc })
  provider.attach()
  let open = false
  socket.on('open', () => {
    open = true
  })
  socket.on('close', () => {
    open = false
  })
  return {
    doc,
    synced: () => provider.isSynced,
    connected: () => open,
    destroy: () => {
      provider.destroy()
      socket.destroy()
      doc.destroy()
    },
  }
}

/**
 * Connects one client to `room`: the stock y-websocket client for chainmap-sync and the classic
 * server (both speak the y-websocket protocol), Hocuspocus's own provider for Hocuspocus.
 */
export function connect(server: ServerKind, url: string, room: string): Client {
  return server === 'hocuspocus' ? hocuspocusClient(url, room) : yWebsocketClient(url, room)
}
