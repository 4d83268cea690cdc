import {
  atom,
  computed,
  createPresenceStateDerivation,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultShapeUtils,
  react,
  type TLAnyBindingUtilConstructor,
  type TLAnyShapeUtilConstructor,
  type TLStore,
  UserRecordType,
} from 'tldraw'
import { type BoardSettings, DEFAULT_SETTINGS, settingsFrom } from '@/lib/sim/boardSettings'
import { BoardConnection } from './BoardConnection'
import type { LocalUser } from './localUser'
import { YStoreBinding } from './YStoreBinding'

/** Everything needed to open one board. */
export interface BoardSessionOptions {
  room: string
  syncUrl: string
  token: string | undefined
  role: 'edit' | 'view'
  user: LocalUser
  shapeUtils: readonly TLAnyShapeUtilConstructor[]
  bindingUtils: readonly TLAnyBindingUtilConstructor[]
}

/**
 * One open board: the connection (Y.Doc + providers), the tldraw store bound to the doc, this
 * browser's user and the presence derived from the store.
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
  readonly settings = atom<BoardSettings>('chainmap settings', DEFAULT_SETTINGS)
  private storeValue: TLStore | null = null
  private bindingValue: YStoreBinding | null = null
  private readonly cleanups: Array<() => void> = []

  constructor(readonly options: BoardSessionOptions) {
    this.connection = new BoardConnection({
      syncUrl: options.syncUrl,
      room: options.room,
      token: options.token,
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
  get binding(): YStoreBinding {
    if (!this.bindingValue) throw new Error('board session is not open yet')
    return this.bindingValue
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
      bindingUtils: [...defaultBindingUtils, ...this.options.bindingUtils],
      users: { currentUser: computed('chainmap current user', () => $user.get()) },
      collaboration: { status, mode },
    })
    const binding = new YStoreBinding(store, this.connection.doc)
    binding.start()
    if (binding.readOnly) this.readOnlyReason.set(binding.readOnly.message)
    else if (this.options.role === 'view') {
      this.readOnlyReason.set('You opened a view-only link: you can look, not change.')
      binding.setWritable(false)
    }
    const readSettings = () => this.settings.set(settingsFrom(binding.settings.toJSON()))
    readSettings()
    binding.settings.observe(readSettings)
    this.cleanups.push(() => binding.settings.unobserve(readSettings))
    this.storeValue = store
    this.bindingValue = binding
    let seeded = false
    this.cleanups.push(
      react('chainmap seed on first server sync', () => {
        if (!this.connection.serverSynced.get() || seeded) return
        seeded = true
        binding.seedMissing()
        const hasShapes = store.query.records('shape').get().length > 0
        if (!hasShapes && !this.readOnlyReason.get()) this.emptyAfterFirstSync.set(true)
      }),
    )
  }

  /** Changes global settings (as this client: undoable by this client only). */
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
    this.bindingValue?.dispose()
    this.connection.dispose()
  }
}
