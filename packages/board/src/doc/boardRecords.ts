import type { SerializedSchema, StoreSchema, UnknownRecord } from '@tldraw/store'
import * as Y from 'yjs'
import { BoardError } from '../BoardError.js'
import { getRecordsMap } from './boardDoc.js'
import { readBoardMeta, writeBoardMeta } from './schemaMeta.js'
import {
  type PlainRecord,
  recordToYMap,
  writeRecordChange,
  writeRecordFields,
  yMapToRecord,
} from './yRecord.js'

/**
 * Write `records` into the doc (only the fields that differ from what it holds), apply `changes`
 * (`[from, to]` pairs: only what differs between the two is written, so concurrent edits of other
 * fields survive) and delete the records listed in `removedIds`, in one transaction with
 * `origin`. Records the doc lacks are added; the doc's meta is set to `schema` if it has none yet.
 */
export function writeBoardRecords<R extends UnknownRecord>(
  doc: Y.Doc,
  records: Iterable<R>,
  options: {
    schema: StoreSchema<R, unknown>
    changes?: Iterable<readonly [from: R, to: R]>
    removedIds?: Iterable<string>
    origin?: unknown
  },
): void {
  const yRecords = getRecordsMap(doc)
  doc.transact(() => {
    if (readBoardMeta(doc).schema === undefined) writeBoardMeta(doc, options.schema)
    for (const record of records) {
      const plain = record as unknown as PlainRecord
      const existing = yRecords.get(plain.id)
      if (existing instanceof Y.Map) writeRecordFields(existing, plain)
      else yRecords.set(plain.id, recordToYMap(plain))
    }
    for (const [from, to] of options.changes ?? []) {
      const plainTo = to as unknown as PlainRecord
      const existing = yRecords.get(plainTo.id)
      if (existing instanceof Y.Map) {
        writeRecordChange(existing, from as unknown as PlainRecord, plainTo)
      } else {
        yRecords.set(plainTo.id, recordToYMap(plainTo))
      }
    }
    for (const id of options.removedIds ?? []) {
      if (yRecords.has(id)) yRecords.delete(id)
    }
  }, options.origin ?? null)
}

/**
 * The record stored under `id`, migrated from the doc's schema `docSchema` to `schema`; `undefined`
 * if the doc has no such record. Throws a {@link BoardError} (`migration-failed`) if it cannot be
 * migrated.
 */
export function readBoardRecord<R extends UnknownRecord>(
  doc: Y.Doc,
  id: string,
  schema: StoreSchema<R, unknown>,
  docSchema: SerializedSchema | undefined,
): R | undefined {
  const yRecord = getRecordsMap(doc).get(id)
  if (!(yRecord instanceof Y.Map)) return undefined
  return migrateRecord(yMapToRecord(yRecord) as unknown as R, schema, docSchema)
}

/**
 * Every record of the doc, migrated to `schema`, in no particular order. Records that cannot be
 * migrated are left out and reported to `onError`.
 */
export function readBoardRecords<R extends UnknownRecord>(
  doc: Y.Doc,
  schema: StoreSchema<R, unknown>,
  onError: (error: BoardError) => void = () => {},
): R[] {
  const docSchema = readBoardMeta(doc).schema as SerializedSchema | undefined
  const records: R[] = []
  for (const id of getRecordsMap(doc).keys()) {
    try {
      const record = readBoardRecord(doc, id, schema, docSchema)
      if (record) records.push(record)
    } catch (error) {
      onError(asBoardError(error))
    }
  }
  return records
}

function migrateRecord<R extends UnknownRecord>(
  record: R,
  schema: StoreSchema<R, unknown>,
  docSchema: SerializedSchema | undefined,
): R {
  if (docSchema === undefined) return record
  const result = schema.migratePersistedRecord(record, docSchema, 'up')
  if (result.type === 'error') {
    throw new BoardError(
      'migration-failed',
      `record ${record.id} cannot be migrated to this app's schema (${result.reason})`,
    )
  }
  return result.value
}

function asBoardError(error: unknown): BoardError {
  if (error instanceof BoardError) return error
  return new BoardError('invalid-record', String(error), { cause: error })
}
