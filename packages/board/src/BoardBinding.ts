import type { HistoryEntry, SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { BoardError } from './BoardError.js'
import { getMetaMap, getRecordsMap, getSettingsMap, type YRecord } from './doc/boardDoc.js'
import { readBoardRecord, writeBoardRecords } from './doc/boardRecords.js'
import { checkBoardSchema } from './doc/checkBoardSchema.js'
import { type BoardDocMeta, readBoardMeta, writeBoardMeta } from './doc/schemaMeta.js'
import { validateSettingsChange } from './model/validateChange.js'
import { getScenariosMap } from './scenarios/boardScenarios.js'
import { type BoardSettings, writeSettings } from './settings.js'

/** Record types tldraw's integrity check creates whenever a store lacks them. */
const INTEGRITY_TYPES: ReadonlySet<string> = new Set(['document', 'page'])

/** Whether a binding writes local edits to the doc, and if not, why. */
export type BoardBindingStatus =
  | { readOnly: false }
  | {
      readOnly: true
      /** `view-only`: asked for (a view link); `newer-schema`: the doc was written by a newer app. */
      cause: 'view-only' | 'newer-schema'
      /** Human-readable explanation, suitable for a banner. */
      reason: string
    }

/** Options of {@link BoardBinding}. */
export interface BoardBindingOptions {
  /** The tldraw store (from `createTLStore`, `<Tldraw>`'s `editor.store`, or {@link createBoardStore}). */
  store: TLStore
  /** The board's Y.Doc (already synced with its provider, so an existing board is not overwritten). */
  doc: Y.Doc
  /** View-only: never write to the doc, and undo local edits of the store. */
  readOnly?: boolean
  /** Called whenever {@link BoardBinding.status} changes. */
  onStatusChange?: (status: BoardBindingStatus) => void
  /** Called for a remote record that is invalid or cannot be migrated (it is skipped). */
  onError?: (error: BoardError) => void
}

/** Options of {@link BoardBinding.createUndoManager}. */
export interface BoardUndoOptions {
  /** Edits closer together than this many milliseconds undo as one step (Yjs default 500). */
  captureTimeout?: number
}

/**
 * Two-way binding between a tldraw store and a board Y.Doc, with no React and no DOM.
 *
 * - Local store changes (source `user`, document scope) become one Y transaction per store
 *   history entry with origin {@link BoardBinding.origin}, writing only the changed fields.
 * - Remote Y changes (any other origin, including a `Y.UndoManager`'s) are applied with
 *   `store.mergeRemoteChanges`, migrated from the doc's schema and validated; an invalid record is
 *   skipped and reported to `onError`.
 * - On construction: an empty doc is filled from the store; otherwise the store's document records
 *   are replaced by the doc's (migrated, and written back if the doc was older and we may write).
 * - Read-only (view-only, or the doc comes from a newer app): nothing is written to the doc and
 *   local edits are reverted to the doc's state.
 */
export class BoardBinding {
  /** The tldraw store being bound. */
  readonly store: TLStore
  /** The board doc being bound. */
  readonly doc: Y.Doc
  /** Origin of every Y transaction this binding writes; track it in a `Y.UndoManager`. */
  readonly origin: object = Object.freeze({ chainmapBoardBinding: true })

  private viewOnly: boolean
  private newerSchemaReason: string | undefined
  private docSchema: SerializedSchema | undefined
  /** The meta values last checked: values read from Y keep their identity until rewritten. */
  private lastCheckedMeta: BoardDocMeta | undefined
  private readonly onStatusChange: ((status: BoardBindingStatus) => void) | undefined
  private readonly onError: (error: BoardError) => void
  private readonly unsubscribers: (() => void)[] = []
  /** Ids of records changed in the doc by others and not yet applied to the store. */
  private readonly pendingRemote = new Set<string>()
  /** Records edited locally while read-only, with their state before the first such edit. */
  private readonly pendingRevert = new Map<TLRecord['id'], TLRecord | null>()
  private disposed = false

  /** Bind `options.store` to `options.doc` and synchronize them at once. */
  constructor(options: BoardBindingOptions) {
    this.store = options.store
    this.doc = options.doc
    this.viewOnly = options.readOnly ?? false
    this.onStatusChange = options.onStatusChange
    this.onError = options.onError ?? (() => {})
    this.refreshSchemaCheck()
    this.initialSync()

    this.unsubscribers.push(
      this.store.listen((entry) => this.handleStoreChange(entry), {
        source: 'user',
        scope: 'document',
      }),
    )
    const records = getRecordsMap(this.doc)
    const onRecords = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction) =>
      this.handleDocChange(events, txn)
    records.observeDeep(onRecords)
    this.unsubscribers.push(() => records.unobserveDeep(onRecords))
    const meta = getMetaMap(this.doc)
    const onMeta = () => this.refreshSchemaCheck()
    meta.observe(onMeta)
    this.unsubscribers.push(() => meta.unobserve(onMeta))
  }

  /** Whether local edits reach the doc, and if not, why. */
  get status(): BoardBindingStatus {
    if (this.newerSchemaReason !== undefined) {
      return { readOnly: true, cause: 'newer-schema', reason: this.newerSchemaReason }
    }
    if (this.viewOnly) return { readOnly: true, cause: 'view-only', reason: 'view-only link' }
    return { readOnly: false }
  }

  /** Shorthand for `status.readOnly`. */
  get isReadOnly(): boolean {
    return this.status.readOnly
  }

  /** Switch view-only mode on or off (a newer-schema doc stays read-only regardless). */
  setReadOnly(readOnly: boolean): void {
    if (readOnly === this.viewOnly) return
    const before = this.isReadOnly
    this.viewOnly = readOnly
    if (before === this.isReadOnly) return
    if (!this.isReadOnly) this.shareMissingRecords()
    this.onStatusChange?.(this.status)
  }

  /**
   * A `Y.UndoManager` over the board's records, settings and scenarios that tracks only this
   * binding's origin, so undo and redo touch only this person's own edits (scenario edits count
   * when written with {@link BoardBinding.origin}). Destroy it before the binding.
   */
  createUndoManager(options: BoardUndoOptions = {}): Y.UndoManager {
    const scope = [getRecordsMap(this.doc), getSettingsMap(this.doc), getScenariosMap(this.doc)]
    return new Y.UndoManager(scope, {
      trackedOrigins: new Set([this.origin]),
      captureTimeout: options.captureTimeout ?? 500,
    })
  }

  /**
   * Write a person's settings edit with this binding's origin (so it is undoable), after checking
   * it with the sim's rules. Throws a {@link BoardError}: `read-only`, or `invalid-settings` with
   * the sim's message; nothing is written then.
   */
  updateSettings(patch: Partial<BoardSettings>): void {
    if (this.isReadOnly) {
      throw new BoardError(
        'read-only',
        `this board is read-only: ${this.status.readOnly ? this.status.reason : ''}`,
      )
    }
    const verdict = validateSettingsChange(this.doc, patch)
    if (!verdict.ok) throw new BoardError('invalid-settings', verdict.message)
    writeSettings(this.doc, patch, this.origin)
  }

  /** Stop syncing. Neither the store nor the doc is modified. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe()
  }

  private initialSync(): void {
    const yRecords = getRecordsMap(this.doc)
    const storeRecords = this.store.allRecords().filter((r) => this.isDocumentRecord(r.typeName))
    if (yRecords.size === 0) {
      if (!this.isReadOnly && storeRecords.length > 0) {
        writeBoardRecords(this.doc, storeRecords, {
          schema: this.store.schema,
          origin: this.origin,
        })
      } else if (storeRecords.length > 0) {
        this.store.mergeRemoteChanges(() => this.store.remove(storeRecords.map((r) => r.id)))
      }
      return
    }
    const docRecords = [...yRecords.keys()].flatMap((id) => {
      const record = this.readDocRecord(id)
      return record ? [record] : []
    })
    const valid = docRecords.filter((record) => this.isValid(record))
    const keep = new Set(valid.map((record) => record.id))
    this.store.mergeRemoteChanges(() => {
      const stale = storeRecords.filter((r) => !keep.has(r.id)).map((r) => r.id)
      if (stale.length > 0) this.store.remove(stale)
      if (valid.length > 0) this.store.put(valid)
    })
    const check = checkBoardSchema(this.doc, this.store.schema)
    if (check.ok && check.needsMigration && !this.isReadOnly) {
      this.doc.transact(() => {
        writeBoardRecords(this.doc, valid, { schema: this.store.schema })
        writeBoardMeta(this.doc, this.store.schema)
      }, this.origin)
      this.docSchema = readBoardMeta(this.doc).schema as SerializedSchema
    }
    if (!this.isReadOnly) this.shareMissingRecords()
  }

  /**
   * Write the store's document records the doc lacks: those tldraw's integrity check added (the
   * document and a page, for a board written by the server from a template, or kept by a viewer
   * who may now edit).
   */
  private shareMissingRecords(): void {
    const yRecords = getRecordsMap(this.doc)
    const missing = this.store
      .allRecords()
      .filter((r) => this.isDocumentRecord(r.typeName) && !yRecords.has(r.id))
    if (missing.length > 0) {
      writeBoardRecords(this.doc, missing, { schema: this.store.schema, origin: this.origin })
    }
  }

  private handleStoreChange({ changes }: HistoryEntry<TLRecord>): void {
    if (this.disposed) return
    if (
      Object.keys(changes.added).length +
        Object.keys(changes.updated).length +
        Object.keys(changes.removed).length ===
      0
    ) {
      return
    }
    if (this.isReadOnly) {
      // The store mirrors the doc: take the edits back once this flush is over.
      const scheduled = this.pendingRevert.size > 0
      for (const record of Object.values(changes.added)) {
        if (!this.pendingRevert.has(record.id)) this.pendingRevert.set(record.id, null)
      }
      for (const [from] of Object.values(changes.updated)) {
        if (!this.pendingRevert.has(from.id)) this.pendingRevert.set(from.id, from)
      }
      for (const record of Object.values(changes.removed)) {
        if (!this.pendingRevert.has(record.id)) this.pendingRevert.set(record.id, record)
      }
      if (!scheduled) queueMicrotask(() => this.revertPending())
      return
    }
    const yRecords = getRecordsMap(this.doc)
    const updated = Object.values(changes.updated)
    // An edit of a record someone else deleted meanwhile: the deletion wins, the edit is dropped
    // (writing it would bring the record back as a new one on every replica).
    const deleted = updated.filter(([, to]) => !yRecords.has(to.id)).map(([, to]) => to.id)
    writeBoardRecords(this.doc, Object.values(changes.added), {
      schema: this.store.schema,
      changes: updated.filter(([, to]) => yRecords.has(to.id)),
      removedIds: Object.keys(changes.removed),
      origin: this.origin,
    })
    if (deleted.length > 0) queueMicrotask(() => this.restoreFromDoc(deleted))
  }

  private handleDocChange(events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction): void {
    if (this.disposed || txn.origin === this.origin) return
    // Local edits the store has not handed to listeners yet (tldraw does so once per animation
    // frame) go to the doc first, so they meet this remote change in the doc, where Yjs merges
    // them, instead of being overwritten in the store and written back later as if newer.
    this.store._flushHistory()
    this.refreshSchemaCheck()
    const ids = new Set<string>()
    for (const event of events) {
      if (event.path.length === 0) {
        if (event instanceof Y.YMapEvent) for (const key of event.keysChanged) ids.add(key)
      } else {
        ids.add(String(event.path[0]))
      }
    }
    for (const id of ids) this.pendingRemote.add(id)
    this.applyPendingRemote(false)
  }

  /**
   * Bring the store up to date with the doc for every record changed remotely. A Y change that
   * arrives while tldraw is inside one of its own transactions (say, an undo triggered from an
   * editor action) cannot be merged then; it is merged right after, in a microtask.
   */
  private applyPendingRemote(deferred: boolean): void {
    const ids = [...this.pendingRemote]
    try {
      this.restoreFromDoc(ids)
      for (const id of ids) this.pendingRemote.delete(id)
    } catch (error) {
      if (!deferred) {
        queueMicrotask(() => this.applyPendingRemote(true))
        return
      }
      this.pendingRemote.clear()
      this.onError(
        new BoardError('invalid-record', `remote changes could not be applied: ${String(error)}`, {
          cause: error,
        }),
      )
    }
  }

  /** Make the store's records `ids` equal to the doc's (remote change, so not echoed back). */
  private restoreFromDoc(ids: readonly string[]): void {
    if (this.disposed) return
    const yRecords = getRecordsMap(this.doc)
    const put: TLRecord[] = []
    const removed: TLRecord['id'][] = []
    for (const id of ids) {
      const yRecord: YRecord | undefined = yRecords.get(id)
      if (yRecord === undefined) {
        if (this.store.has(id as TLRecord['id'])) removed.push(id as TLRecord['id'])
        continue
      }
      const record = this.readDocRecord(id)
      if (record && this.isValid(record)) put.push(record)
    }
    if (put.length === 0 && removed.length === 0) return
    this.store.mergeRemoteChanges(() => {
      if (removed.length > 0) this.store.remove(removed)
      if (put.length > 0) this.store.put(put)
    })
  }

  /** The doc's record `id` migrated to the store's schema, or `undefined` (reported) if unreadable. */
  private readDocRecord(id: string): TLRecord | undefined {
    try {
      const record = readBoardRecord(this.doc, id, this.store.schema, this.docSchema)
      return record && this.isDocumentRecord(record.typeName) ? record : undefined
    } catch (error) {
      this.onError(
        error instanceof BoardError
          ? error
          : new BoardError('invalid-record', String(error), { cause: error }),
      )
      return undefined
    }
  }

  /**
   * Take back local changes the doc must not receive (read-only), as one remote change: each
   * touched record becomes the doc's version again, or, if the doc's version cannot be read here,
   * what it was before the first of these local changes.
   */
  private revertPending(): void {
    const pending = new Map(this.pendingRevert)
    this.pendingRevert.clear()
    if (this.disposed || pending.size === 0) return
    const yRecords = getRecordsMap(this.doc)
    const put: TLRecord[] = []
    const removed: TLRecord['id'][] = []
    for (const [id, before] of pending) {
      // tldraw recreates a missing document or page at once (its integrity check): a viewer of a
      // board that has none yet keeps the local ones rather than loop removing them.
      if (
        before === null &&
        !yRecords.has(id) &&
        INTEGRITY_TYPES.has(this.store.get(id)?.typeName ?? '')
      ) {
        continue
      }
      const fromDoc = yRecords.has(id) ? this.readDocRecord(id) : undefined
      const target = fromDoc && this.isValid(fromDoc) ? fromDoc : yRecords.has(id) ? before : null
      if (target) put.push(target)
      else if (this.store.has(id)) removed.push(id)
    }
    this.store.mergeRemoteChanges(() => {
      if (removed.length > 0) this.store.remove(removed)
      if (put.length > 0) this.store.put(put)
    })
  }

  private isValid(record: TLRecord): boolean {
    try {
      const before = this.store.get(record.id) ?? null
      this.store.schema.validateRecord(
        this.store,
        record,
        before ? 'updateRecord' : 'createRecord',
        before,
      )
      return true
    } catch (error) {
      this.onError(
        new BoardError(
          'invalid-record',
          `record ${record.id} from the board is invalid here: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      )
      return false
    }
  }

  private isDocumentRecord(typeName: string): boolean {
    return this.store.scopedTypes.document.has(typeName as TLRecord['typeName'])
  }

  private refreshSchemaCheck(): void {
    const meta = readBoardMeta(this.doc)
    const last = this.lastCheckedMeta
    if (last && last.formatVersion === meta.formatVersion && last.schema === meta.schema) return
    this.lastCheckedMeta = meta
    const before = this.isReadOnly
    const check = checkBoardSchema(this.doc, this.store.schema)
    if (check.ok) {
      this.newerSchemaReason = undefined
      this.docSchema = check.docSchema
    } else {
      this.newerSchemaReason = check.reason
      // Records of a newer schema cannot be migrated down: take them as they are (validation
      // then rejects what this app cannot show) rather than attempt it.
      this.docSchema = undefined
    }
    if (before !== this.isReadOnly) this.onStatusChange?.(this.status)
  }
}
