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

/**
 * Apply to `yRecord` the change a person made from `from` to `to`: only the fields (and props)
 * that differ between the two are written, whatever else the doc holds. A concurrent change of
 * another field that reached the doc meanwhile is left alone: that is the per-property merge.
 * Must run inside a transaction.
 */
export function writeRecordChange(yRecord: YRecord, from: PlainRecord, to: PlainRecord): void {
  for (const [key, value] of Object.entries(to)) {
    const before = from[key]
    if (key === PROPS_KEY && isPlainObject(value)) {
      const yProps = yRecord.get(key)
      if (!(yProps instanceof Y.Map) || !isPlainObject(before)) {
        yRecord.set(key, new Y.Map(Object.entries(value)))
        continue
      }
      for (const [prop, propValue] of Object.entries(value)) {
        if (!Object.hasOwn(before, prop) || !jsonEqual(before[prop], propValue)) {
          yProps.set(prop, propValue)
        }
      }
      for (const prop of Object.keys(before)) {
        if (!Object.hasOwn(value, prop)) yProps.delete(prop)
      }
    } else if (!Object.hasOwn(from, key) || !jsonEqual(before, value)) {
      yRecord.set(key, value)
    }
  }
  for (const key of Object.keys(from)) {
    if (!Object.hasOwn(to, key)) yRecord.delete(key)
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
