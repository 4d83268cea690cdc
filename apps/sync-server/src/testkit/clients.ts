import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

// Each provider registers a process 'exit' listener; tests open many.
process.setMaxListeners(200)

/** A stock y-websocket client in Node, for tests. */
export interface TestClient {
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  /** Resolves the first time the provider reports synced. */
  readonly firstSynced: Promise<void>
  destroy(): void
}

/** Connects a stock `y-websocket` provider (BroadcastChannel off, so only the server relays). */
export function connectClient(
  url: string,
  room: string,
  params: Record<string, string> = {},
  doc: Y.Doc = new Y.Doc(),
): TestClient {
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params,
    maxBackoffTime: 300,
  })
  const firstSynced = new Promise<void>((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
  return {
    doc,
    provider,
    firstSynced,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Polls `condition` until it holds, or fails after `timeoutMs` with `what`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A raw websocket with every frame and the close recorded from the very start. */
export interface RawSocket {
  readonly ws: WebSocket
  readonly frames: Uint8Array[]
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>
}

/** Opens a raw websocket (recording frames before `open` fires) and resolves once it is open. */
export async function openRaw(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url)
  const frames: Uint8Array[] = []
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, frames, closed }
}

export { seededRandom } from '../seededRandom.js'
