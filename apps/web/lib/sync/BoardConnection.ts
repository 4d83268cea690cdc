import { atom } from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { TokenRenewal } from './TokenRenewal'

/** What the connection indicator shows. */
export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'online' }
  | { status: 'offline' }
  | { status: 'refused'; code: number; reason: string }

/** Where and how to connect one board. */
export interface BoardConnectionOptions {
  syncUrl: string
  room: string
  token: string | undefined
  /** How long to wait for the server before opening the board from the offline cache. */
  offlineAfterMs?: number
  /** Asks for a renewed token (the sync server closes a connection when its token expires). */
  renewToken?: (room: string, token: string) => Promise<string | null>
  /** Told each renewed token (to put it in the page's address, so a reload uses it). */
  onTokenRenewed?: (token: string) => void
}

/**
 * One board's Y.Doc with its two providers: the stock `y-websocket` provider to chainmap-sync
 * and `y-indexeddb`, which keeps a local copy so edits made offline survive a reload and merge
 * when the connection comes back.
 */
export class BoardConnection {
  /** The shared document. */
  readonly doc = new Y.Doc()
  /** The websocket provider (its awareness carries presence). */
  readonly provider: WebsocketProvider
  /** The offline cache. */
  readonly cache: IndexeddbPersistence
  /** Connection state for the indicator. */
  readonly state = atom<ConnectionState>('chainmap connection', { status: 'connecting' })
  /** Whether the server has confirmed the document at least once in this session. */
  readonly serverSynced = atom<boolean>('chainmap server synced', false)
  /** Resolves when the board can be shown: synced with the server, or from the cache offline. */
  readonly ready: Promise<void>
  private readonly renewal: TokenRenewal | undefined

  constructor(options: BoardConnectionOptions) {
    this.cache = new IndexeddbPersistence(`chainmap:${options.room}`, this.doc)
    this.provider = new WebsocketProvider(options.syncUrl, options.room, this.doc, {
      params: options.token ? { token: options.token } : {},
      disableBc: true,
    })
    this.provider.on('status', ({ status }) => {
      if (this.state.get().status === 'refused') return
      if (status === 'connected') this.state.set({ status: 'online' })
      else if (status === 'disconnected') this.state.set({ status: 'offline' })
    })
    this.provider.on('connection-error', () => {
      if (this.state.get().status === 'connecting') this.state.set({ status: 'offline' })
    })
    // A connection closed before it ever opened (a proxy or a dropped network that accepts,
    // then closes) reports no error and no status, only this; without it the indicator would
    // say "connecting" for as long as the board is offline.
    this.provider.on('connection-close', () => {
      if (this.state.get().status === 'connecting') this.state.set({ status: 'offline' })
    })
    this.provider.on('closed', ({ code, reason }) => {
      this.state.set({ status: 'refused', code, reason })
    })
    this.provider.on('sync', (synced) => {
      if (synced) this.serverSynced.set(true)
    })
    const { token, renewToken } = options
    if (token && renewToken) {
      this.renewal = new TokenRenewal(
        token,
        (current) => renewToken(options.room, current),
        (renewed) => {
          // y-websocket builds its URL from `params` at every (re)connect.
          this.provider.params = { ...this.provider.params, token: renewed }
          options.onTokenRenewed?.(renewed)
        },
      )
      this.renewal.start()
    }
    const offlineAfterMs = options.offlineAfterMs ?? 2500
    this.ready = new Promise<void>((resolve) => {
      if (this.provider.synced) resolve()
      this.provider.on('sync', (synced) => {
        if (synced) resolve()
      })
      void this.cache.whenSynced.then(() => {
        setTimeout(resolve, offlineAfterMs)
      })
    })
  }

  /** Closes the connection and the cache (the cache keeps its data). */
  dispose(): void {
    this.renewal?.stop()
    this.provider.destroy()
    void this.cache.destroy()
    this.doc.destroy()
  }
}
