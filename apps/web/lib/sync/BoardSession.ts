import {
  BoardBinding,
  type BoardSettings,
  DEFAULT_BOARD_SETTINGS,
  observeSettings,
  readSettings,
} from '@chainmap/board'
import {
  atom,
  computed,
  createPresenceStateDerivation,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultShapeUtils,
  react,
  type TLAnyShapeUtilConstructor,
  type TLStore,
  UserRecordType,
} from 'tldraw'
import type * as Y from 'yjs'
import { BoardConnection } from './BoardConnection'
import type { LocalUser } from './localUser'

/** Everything needed to open one board. */
export interface BoardSessionOptions {
  room: string
  syncUrl: string
  token: string | undefined
  role: 'edit' | 'view'
  user: LocalUser
  shapeUtils: readonly TLAnyShapeUtilConstructor[]
  /** Asks for a renewed token (see `BoardConnection`). */
  renewToken?: (room: string, token: string) => Promise<string | null>
  /** Told each renewed token. */
  onTokenRenewed?: (token: string) => void
}

/**
 * One open board: the connection (Y.Doc + providers), the tldraw store bound to the doc through
 * `@chainmap/board`'s binding, this browser's user and the presence derived from the store.
 */
export class BoardSession {
  /** The connection to chainmap-sync and the offline cache. */
  readonly connection: BoardConnection
  /** The user as tldraw knows it. */
  readonly $user = atom('chainmap user', null as ReturnType<typeof UserRecordType.create> | null)
  /** Why the canvas is read-only, or null when it can be edited. */
  readonly readOnlyReason = atom<string | null>('chainmap read-only reason', null)
  /** Set once, after the first server sync, if the board has no shapes (a new board). */
  readonly emptyAfterFirstSync = atom<boolean>('chainmap empty board', false)
  /** The board's global simulation settings, live from the shared document. */
  readonly settings = atom<BoardSettings>('chainmap settings', { ...DEFAULT_BOARD_SETTINGS })
  private storeValue: TLStore | null = null
  private bindingValue: BoardBinding | null = null
  private undoValue: Y.UndoManager | null = null
  private readonly cleanups: Array<() => void> = []

  constructor(readonly options: BoardSessionOptions) {
    this.connection = new BoardConnection({
      syncUrl: options.syncUrl,
      room: options.room,
      token: options.token,
      ...(options.renewToken ? { renewToken: options.renewToken } : {}),
      ...(options.onTokenRenewed ? { onTokenRenewed: options.onTokenRenewed } : {}),
    })
    this.$user.set(
      UserRecordType.create({
        id: createUserId(options.user.id),
        name: options.user.name,
        color: options.user.color,
      }),
    )
  }

  /** The tldraw store (after {@link open}). */
  get store(): TLStore {
    if (!this.storeValue) throw new Error('board session is not open yet')
    return this.storeValue
  }

  /** The store ↔ Y.Doc binding (after {@link open}). */
  get binding(): BoardBinding {
    if (!this.bindingValue) throw new Error('board session is not open yet')
    return this.bindingValue
  }

  /** Undo manager tracking only this person's edits (after {@link open}). */
  get undoManager(): Y.UndoManager {
    if (!this.undoValue) throw new Error('board session is not open yet')
    return this.undoValue
  }

  /** Waits for the server (or the offline cache), then builds and binds the store. */
  async open(): Promise<void> {
    await this.connection.ready
    const state = this.connection.state
    const status = computed('chainmap collaboration status', () =>
      state.get().status === 'online' ? ('online' as const) : ('offline' as const),
    )
    const mode = computed('chainmap collaboration mode', () =>
      this.readOnlyReason.get() ? ('readonly' as const) : ('readwrite' as const),
    )
    const $user = this.$user
    const store = createTLStore({
      shapeUtils: [...defaultShapeUtils, ...this.options.shapeUtils],
      bindingUtils: defaultBindingUtils,
      users: { currentUser: computed('chainmap current user', () => $user.get()) },
      collaboration: { status, mode },
    })
    const doc = this.connection.doc
    const binding = new BoardBinding({
      store,
      doc,
      readOnly: this.options.role === 'view',
      onStatusChange: (next) => this.readOnlyReason.set(next.readOnly ? next.reason : null),
      onError: (error) => console.warn('chainmap: skipped part of the shared board', error),
    })
    const current = binding.status
    this.readOnlyReason.set(current.readOnly ? current.reason : null)
    this.storeValue = store
    this.bindingValue = binding
    this.undoValue = binding.createUndoManager()
    this.settings.set(readSettings(doc))
    this.cleanups.push(observeSettings(doc, (settings) => this.settings.set(settings)))
    let checked = false
    this.cleanups.push(
      react('chainmap empty board on first server sync', () => {
        if (!this.connection.serverSynced.get() || checked) return
        checked = true
        const hasShapes = store.query.records('shape').get().length > 0
        if (!hasShapes && !this.readOnlyReason.get()) this.emptyAfterFirstSync.set(true)
      }),
    )
  }

  /**
   * Changes global settings as this person (undoable by this person only). Throws the board's
   * error with the sim's message if a value is invalid; nothing is written then.
   */
  updateSettings(values: Partial<BoardSettings>): void {
    this.binding.updateSettings(values)
  }

  /** The presence signal tldraw derives from this store and user. */
  presence() {
    return createPresenceStateDerivation(this.$user)(this.store)
  }

  /** Closes everything this session opened. */
  dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.undoValue?.destroy()
    this.bindingValue?.dispose()
    this.connection.dispose()
  }
}
