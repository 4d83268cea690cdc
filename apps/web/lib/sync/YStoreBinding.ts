import type { RecordsDiff, Store, UnknownRecord } from '@tldraw/store'
import * as Y from 'yjs'
import { jsonEqual } from './jsonEqual'

/** Fields of a record that are stored key by key, so concurrent edits of two keys both survive. */
const NESTED_FIELDS = new Set(['props', 'meta'])

/** The board schema this client writes; a document with a newer one is opened read-only. */
export const BOARD_SCHEMA_VERSION = 1

/** Why a binding refuses to write: the document was made by a newer chainmap. */
export interface ReadOnlyReason {
  code: 'newer-schema'
  message: string
}

type RecordMap = Y.Map<Y.Map<unknown>>

/**
 * Keeps a tldraw store and a Y.Doc in step, one property at a time.
 *
 * Each record is a Y.Map of its fields; `props` and `meta` are nested Y.Maps of their keys, so
 * one person moving a shape (x, y) while another edits its churn (props.churn) keeps both.
 * Local changes are written in transactions whose origin is this binding, which is also the only
 * origin the undo manager tracks: undo and redo revert your own changes, never a collaborator's.
 *
 * Interim: lives in apps/web until `@chainmap/board` ships its binding with the same contract.
 */
export class YStoreBinding {
  /** Reverts this client's own changes only. */
  readonly undoManager: Y.UndoManager
  /** Global simulation settings, one key per setting so concurrent edits of two keys merge. */
  readonly settings: Y.Map<unknown>
  private readonly records: RecordMap
  private readonly meta: Y.Map<unknown>
  private readonly cleanups: Array<() => void> = []
  private readOnlyReason: ReadOnlyReason | null = null
  private writable = true

  constructor(
    private readonly store: Store<UnknownRecord>,
    private readonly doc: Y.Doc,
  ) {
    this.records = doc.getMap('records') as RecordMap
    this.meta = doc.getMap('meta')
    this.settings = doc.getMap('settings')
    this.undoManager = new Y.UndoManager([this.records, this.settings], {
      trackedOrigins: new Set([this]),
      captureTimeout: 500,
    })
  }

  /** Whether the document is newer than this client understands (then nothing is written). */
  get readOnly(): ReadOnlyReason | null {
    return this.readOnlyReason
  }

  /**
   * Loads the document into the store (or seeds an empty document from the store) and starts
   * syncing both ways. Call once the provider has synced, or has given up waiting while offline.
   */
  start(): void {
    const version = this.meta.get('schemaVersion')
    if (typeof version === 'number' && version > BOARD_SCHEMA_VERSION) {
      this.readOnlyReason = {
        code: 'newer-schema',
        message: `This board was saved by a newer chainmap (board schema ${version}; this app knows ${BOARD_SCHEMA_VERSION}). It is shown read-only so nothing is lost; reload after updating.`,
      }
      this.writable = false
    }
    if (this.records.size > 0) this.loadIntoStore()
    this.cleanups.push(
      this.store.listen(({ changes }) => this.writeLocal(changes), {
        source: 'user',
        scope: 'document',
      }),
    )
    const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, txn: Y.Transaction) => {
      if (txn.origin === this) return
      this.applyRemote(events)
    }
    this.records.observeDeep(observer)
    this.cleanups.push(() => this.records.unobserveDeep(observer))
  }

  /** Stops syncing; the store and the doc keep their contents. */
  dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.undoManager.destroy()
  }

  /** Changes global settings as this client (undoable by this client only). */
  updateSettings(values: Record<string, unknown>): void {
    if (!this.writable) return
    this.doc.transact(() => {
      for (const [key, value] of Object.entries(values)) this.settings.set(key, value)
    }, this)
  }

  /** Whether local changes are written to the shared document. */
  get isWritable(): boolean {
    return this.writable
  }

  /** Stops (or resumes) writing local changes, e.g. for a view-only link. */
  setWritable(writable: boolean): void {
    this.writable = writable && this.readOnlyReason === null
  }

  /**
   * Writes the store's document records the shared document lacks (a new board's default page).
   * Call only once the server has confirmed the document: seeding from an empty offline cache
   * would race the server's copy of the same records.
   */
  seedMissing(): void {
    if (!this.writable) return
    const serialized = this.store.serialize('document')
    const missing = Object.values(serialized).filter((record) => !this.records.has(record.id))
    if (missing.length === 0 && this.meta.has('schemaVersion')) return
    this.doc.transact(() => {
      if (!this.meta.has('schemaVersion')) this.meta.set('schemaVersion', BOARD_SCHEMA_VERSION)
      for (const record of missing) this.records.set(record.id, toYRecord(record))
    }, 'seed')
  }

  private loadIntoStore(): void {
    const incoming: UnknownRecord[] = []
    for (const yRecord of this.records.values()) incoming.push(yRecord.toJSON() as UnknownRecord)
    const keep = new Set<string>(incoming.map((record) => record.id))
    const stale = Object.keys(this.store.serialize('document')).filter((id) => !keep.has(id))
    this.store.mergeRemoteChanges(() => {
      putSafely(this.store, sortForPut(incoming))
      if (stale.length > 0 && incoming.some((r) => r.typeName === 'page')) {
        this.store.remove(stale as UnknownRecord['id'][])
      }
    })
  }

  private writeLocal(changes: RecordsDiff<UnknownRecord>): void {
    if (!this.writable) return
    this.doc.transact(() => {
      for (const record of Object.values(changes.added)) {
        this.records.set(record.id, toYRecord(record))
      }
      for (const [from, to] of Object.values(changes.updated)) {
        const yRecord = this.records.get(to.id)
        if (!yRecord) {
          this.records.set(to.id, toYRecord(to))
          continue
        }
        writeChangedFields(yRecord, from, to)
      }
      for (const id of Object.keys(changes.removed)) {
        this.records.delete(id)
      }
    }, this)
  }

  private applyRemote(events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void {
    const touched = new Set<string>()
    for (const event of events) {
      if (event.target === this.records) {
        for (const key of event.changes.keys.keys()) touched.add(key)
      } else {
        const id = event.path[0]
        if (typeof id === 'string') touched.add(id)
      }
    }
    const puts: UnknownRecord[] = []
    const removes: string[] = []
    for (const id of touched) {
      const yRecord = this.records.get(id)
      if (yRecord) puts.push(yRecord.toJSON() as UnknownRecord)
      else if (this.store.has(id as UnknownRecord['id'])) removes.push(id)
    }
    this.store.mergeRemoteChanges(() => {
      if (puts.length > 0) putSafely(this.store, sortForPut(puts))
      if (removes.length > 0) this.store.remove(removes as UnknownRecord['id'][])
    })
  }
}

function toYRecord(record: UnknownRecord): Y.Map<unknown> {
  const yRecord = new Y.Map<unknown>()
  for (const [key, value] of Object.entries(record)) {
    if (NESTED_FIELDS.has(key) && isPlainObject(value)) {
      const nested = new Y.Map<unknown>()
      for (const [subKey, subValue] of Object.entries(value)) nested.set(subKey, subValue)
      yRecord.set(key, nested)
    } else {
      yRecord.set(key, value)
    }
  }
  return yRecord
}

function writeChangedFields(yRecord: Y.Map<unknown>, from: UnknownRecord, to: UnknownRecord): void {
  const before = from as unknown as Record<string, unknown>
  const after = to as unknown as Record<string, unknown>
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const previous = before[key]
    const next = after[key]
    if (!(key in after)) {
      yRecord.delete(key)
      continue
    }
    if (NESTED_FIELDS.has(key) && isPlainObject(next)) {
      let nested = yRecord.get(key)
      if (!(nested instanceof Y.Map)) {
        nested = new Y.Map<unknown>()
        yRecord.set(key, nested)
      }
      const yNested = nested as Y.Map<unknown>
      const old = isPlainObject(previous) ? previous : {}
      for (const subKey of new Set([...Object.keys(old), ...Object.keys(next)])) {
        if (!(subKey in next)) yNested.delete(subKey)
        else if (!jsonEqual(old[subKey], next[subKey]) || !yNested.has(subKey)) {
          yNested.set(subKey, next[subKey])
        }
      }
    } else if (!jsonEqual(previous, next)) {
      yRecord.set(key, next)
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const TYPE_ORDER: Record<string, number> = { document: 0, page: 1, shape: 2, binding: 3 }

/** Parents before children, shapes before the bindings that point at them. */
function sortForPut(records: UnknownRecord[]): UnknownRecord[] {
  const depth = new Map<string, number>()
  const byId = new Map(records.map((record) => [record.id, record]))
  const depthOf = (record: UnknownRecord, seen = 0): number => {
    const cached = depth.get(record.id)
    if (cached !== undefined) return cached
    const parentId = (record as { parentId?: string }).parentId
    const parent = parentId ? byId.get(parentId as UnknownRecord['id']) : undefined
    const value = parent && seen < 64 ? depthOf(parent, seen + 1) + 1 : 0
    depth.set(record.id, value)
    return value
  }
  return [...records].sort(
    (a, b) =>
      (TYPE_ORDER[a.typeName] ?? 9) - (TYPE_ORDER[b.typeName] ?? 9) || depthOf(a) - depthOf(b),
  )
}

/** A record another client wrote that this client cannot validate is skipped, not fatal. */
function putSafely(store: Store<UnknownRecord>, records: UnknownRecord[]): void {
  try {
    store.put(records)
  } catch {
    for (const record of records) {
      try {
        store.put([record])
      } catch (error) {
        console.warn(`chainmap: skipped record ${record.id} from the shared board`, error)
      }
    }
  }
}
