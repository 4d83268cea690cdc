import type { SerializedSchema, StoreSchema, UnknownRecord } from '@tldraw/store'
import type * as Y from 'yjs'
import { BOARD_FORMAT_VERSION } from '../boardSchema.js'
import { jsonEqual } from '../jsonEqual.js'
import { getMetaMap } from './boardDoc.js'

/** Key in the meta map: the {@link BOARD_FORMAT_VERSION} the doc was written with. */
export const FORMAT_VERSION_KEY = 'formatVersion'
/** Key in the meta map: the serialized tldraw schema (migration versions) the records follow. */
export const SCHEMA_KEY = 'schema'

/** The format version and tldraw schema recorded in a board doc, if any. */
export interface BoardDocMeta {
  formatVersion: unknown
  schema: unknown
}

/** Read the format version and schema a doc declares (`undefined` for a doc never written). */
export function readBoardMeta(doc: Y.Doc): BoardDocMeta {
  const meta = getMetaMap(doc)
  return { formatVersion: meta.get(FORMAT_VERSION_KEY), schema: meta.get(SCHEMA_KEY) }
}

/**
 * Record that the doc's records follow `schema` and this format version. Writes only what changed;
 * call inside the transaction that writes records in that schema.
 */
export function writeBoardMeta(doc: Y.Doc, schema: StoreSchema<UnknownRecord, unknown>): void {
  const meta = getMetaMap(doc)
  if (meta.get(FORMAT_VERSION_KEY) !== BOARD_FORMAT_VERSION) {
    meta.set(FORMAT_VERSION_KEY, BOARD_FORMAT_VERSION)
  }
  const serialized: SerializedSchema = schema.serialize()
  if (!jsonEqual(meta.get(SCHEMA_KEY), serialized)) meta.set(SCHEMA_KEY, serialized)
}
