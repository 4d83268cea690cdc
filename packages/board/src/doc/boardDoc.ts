import type * as Y from 'yjs'

/** Name of the top-level `Y.Map` holding one nested `Y.Map` per tldraw document record, keyed by id. */
export const RECORDS_KEY = 'records'
/** Name of the top-level `Y.Map` holding the global simulation settings, one key per setting. */
export const SETTINGS_KEY = 'settings'
/** Name of the top-level `Y.Map` holding `formatVersion` and the tldraw `schema` the records follow. */
export const META_KEY = 'meta'
/** Key, inside a record's `Y.Map`, of the nested `Y.Map` holding the record's `props`. */
export const PROPS_KEY = 'props'

/** A record as stored in the doc: top-level fields, with `props` as a nested map. */
export type YRecord = Y.Map<unknown>

/** The map of records of a board doc (created empty if absent). */
export function getRecordsMap(doc: Y.Doc): Y.Map<YRecord> {
  return doc.getMap<YRecord>(RECORDS_KEY)
}

/** The settings map of a board doc (created empty if absent). */
export function getSettingsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(SETTINGS_KEY)
}

/** The meta map of a board doc (created empty if absent). */
export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_KEY)
}
