import * as Y from 'yjs'
import { jsonEqual } from '../jsonEqual.js'
import { PROPS_KEY, type YRecord } from './boardDoc.js'

/** A tldraw record as plain JSON (not yet validated against a schema). */
export interface PlainRecord {
  id: string
  typeName: string
  [field: string]: unknown
}

/** A new `Y.Map` for `record`: its top-level fields, with `props` as a nested `Y.Map`. */
export function recordToYMap(record: PlainRecord): YRecord {
  const yRecord: YRecord = new Y.Map()
  for (const [key, value] of Object.entries(record)) {
    if (key === PROPS_KEY && isPlainObject(value)) {
      yRecord.set(key, new Y.Map(Object.entries(value)))
    } else {
      yRecord.set(key, value)
    }
  }
  return yRecord
}

/** The plain record a `Y.Map` holds. */
export function yMapToRecord(yRecord: YRecord): PlainRecord {
  return yRecord.toJSON() as PlainRecord
}

/**
 * Make `yRecord` hold `record` by writing only the fields (and props) whose values differ, and
 * deleting those `record` lacks. Must run inside a transaction. Writing per field is what lets two
 * people change different properties of one shape concurrently and keeps a drag to x and y.
 */
export function writeRecordFields(yRecord: YRecord, record: PlainRecord): void {
  for (const [key, value] of Object.entries(record)) {
    if (key === PROPS_KEY && isPlainObject(value)) {
      const current = yRecord.get(key)
      if (current instanceof Y.Map) writeMapFields(current, value)
      else yRecord.set(key, new Y.Map(Object.entries(value)))
    } else if (!jsonEqual(yRecord.get(key), value) || !yRecord.has(key)) {
      yRecord.set(key, value)
    }
  }
  for (const key of [...yRecord.keys()]) {
    if (!Object.hasOwn(record, key)) yRecord.delete(key)
  }
}

function writeMapFields(yMap: Y.Map<unknown>, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!yMap.has(key) || !jsonEqual(yMap.get(key), value)) yMap.set(key, value)
  }
  for (const key of [...yMap.keys()]) {
    if (!Object.hasOwn(values, key)) yMap.delete(key)
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
