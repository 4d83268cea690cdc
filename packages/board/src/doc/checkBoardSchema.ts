import type { SerializedSchema, StoreSchema, UnknownRecord } from '@tldraw/store'
import type * as Y from 'yjs'
import { BOARD_FORMAT_VERSION } from '../boardSchema.js'
import { defaultBoardSchema } from '../defaultBoardSchema.js'
import { type BoardDocMeta, readBoardMeta } from './schemaMeta.js'

/** Result of {@link checkBoardSchema}. */
export type BoardSchemaCheck =
  | {
      ok: true
      readOnly: false
      /** The doc's records follow an older schema: they are migrated when read, and written back by an editor. */
      needsMigration: boolean
      /** The schema the doc declares, `undefined` for a doc never written. */
      docSchema: SerializedSchema | undefined
    }
  | {
      ok: false
      readOnly: true
      /** Human-readable: what is newer and what to do (reload to update the app). */
      reason: string
    }

/**
 * Whether this client can safely edit `doc`. A doc written by a newer chainmap (a larger board
 * format version, a newer migration of any record type, or a record type this client does not
 * know) must stay read-only here: writing to it would corrupt what the newer client wrote.
 *
 * @param schema - this client's schema; defaults to the board schema ({@link createBoardSchema}).
 */
export function checkBoardSchema<R extends UnknownRecord>(
  doc: Y.Doc,
  schema: StoreSchema<R, unknown> = defaultBoardSchema() as unknown as StoreSchema<R, unknown>,
): BoardSchemaCheck {
  return checkBoardMeta(readBoardMeta(doc), schema)
}

/**
 * {@link checkBoardSchema} on the meta values themselves, for a holder of the values without a doc
 * to read them from (the sync server checks what an update is about to declare).
 *
 * @param meta - the format version and serialized schema a board declares (`undefined` when unset)
 * @param schema - this client's schema; defaults to the board schema ({@link createBoardSchema}).
 */
export function checkBoardMeta<R extends UnknownRecord>(
  meta: BoardDocMeta,
  schema: StoreSchema<R, unknown> = defaultBoardSchema() as unknown as StoreSchema<R, unknown>,
): BoardSchemaCheck {
  const { formatVersion, schema: docSchema } = meta
  if (formatVersion !== undefined) {
    if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion)) {
      return readOnly(`meta.formatVersion is ${JSON.stringify(formatVersion)}, not an integer`)
    }
    if (formatVersion > BOARD_FORMAT_VERSION) {
      return readOnly(
        `this board uses board format ${formatVersion}, newer than this app's ${BOARD_FORMAT_VERSION}; reload to update`,
      )
    }
  }
  if (docSchema === undefined) {
    return { ok: true, readOnly: false, needsMigration: false, docSchema: undefined }
  }
  const declaredVersion = (docSchema as { schemaVersion?: unknown } | null)?.schemaVersion
  if (typeof declaredVersion === 'number' && declaredVersion > 2) {
    return readOnly(
      `this board uses tldraw schema format ${declaredVersion}, newer than this app knows; reload to update`,
    )
  }
  if (!isSerializedSchema(docSchema)) {
    return readOnly('meta.schema is not a serialized tldraw schema')
  }
  if (docSchema.schemaVersion === 2) {
    const ours = schema.serialize().sequences
    for (const [sequenceId, version] of Object.entries(docSchema.sequences)) {
      const ourVersion = ours[sequenceId]
      if (ourVersion === undefined) {
        return readOnly(
          `this board contains "${sequenceId}", which this app does not know; reload to update`,
        )
      }
      if (version > ourVersion) {
        return readOnly(
          `this board uses ${sequenceId} version ${version}, newer than this app's ${ourVersion}; reload to update`,
        )
      }
    }
  }
  const migrations = schema.getMigrationsSince(docSchema)
  if (!migrations.ok) {
    return readOnly(`this board's schema cannot be migrated: ${migrations.error}`)
  }
  return { ok: true, readOnly: false, needsMigration: migrations.value.length > 0, docSchema }
}

function readOnly(reason: string): BoardSchemaCheck {
  return { ok: false, readOnly: true, reason }
}

function isSerializedSchema(value: unknown): value is SerializedSchema {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as { schemaVersion?: unknown; sequences?: unknown }
  if (candidate.schemaVersion === 1) return true
  if (candidate.schemaVersion !== 2) return false
  const sequences = candidate.sequences
  return (
    typeof sequences === 'object' &&
    sequences !== null &&
    Object.values(sequences).every((v) => typeof v === 'number' && Number.isInteger(v))
  )
}
