import type { SerializedSchema, SerializedSchemaV2 } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { BoardError } from '../BoardError.js'
import { BOARD_FORMAT_VERSION } from '../boardSchema.js'
import { defaultBoardSchema } from '../defaultBoardSchema.js'
import { getRecordsMap } from '../doc/boardDoc.js'
import { readBoardMeta } from '../doc/schemaMeta.js'
import { yMapToRecord } from '../doc/yRecord.js'
import { type BoardSettings, readSettings } from '../settings.js'
import { CHAINMAP_SHAPE_TYPES } from '../shapes/chainmapShapes.js'
import type { BoardIssue } from './boardIssue.js'

/** A board's records and settings, e.g. `{ records: editor.store.allRecords(), settings }`. */
export interface BoardContents {
  /** The board's records; anything but chain-map shapes is ignored. */
  records: Iterable<TLRecord>
  /** The global settings. */
  settings: BoardSettings
  /** Chain-map shapes already found unusable while reading (e.g. corrupt records in a doc). */
  issues?: BoardIssue[]
}

/** Where a board is read from: a board Y.Doc, or records and settings already at hand. */
export type BoardSource = Y.Doc | BoardContents

const MODEL_SEQUENCES = new Set([
  'com.tldraw.shape',
  ...CHAINMAP_SHAPE_TYPES.map((type) => `com.tldraw.shape.${type}`),
])

/**
 * The chain-map shapes (migrated to this package's schema) and settings of `source`. Only the
 * versions of the chain-map shapes matter here, so a board that also holds shapes this package
 * does not know (say, apps/web's charts) still reads. Throws a {@link BoardError}
 * `newer-schema` if the board format or a chain-map shape is newer than this package. Records
 * that fail validation are left out and listed in `issues`.
 */
export function readBoardContents(source: BoardSource): BoardContents {
  if (!(source instanceof Y.Doc)) return source
  const schema = defaultBoardSchema()
  const ours = schema.serialize()
  const meta = readBoardMeta(source)
  if (typeof meta.formatVersion === 'number' && meta.formatVersion > BOARD_FORMAT_VERSION) {
    throw new BoardError(
      'newer-schema',
      `this board uses board format ${meta.formatVersion}, newer than this app's ${BOARD_FORMAT_VERSION}`,
    )
  }
  const effective = effectiveSchema(meta.schema, ours)
  const records: TLRecord[] = []
  const issues: BoardIssue[] = []
  for (const [id, yRecord] of getRecordsMap(source).entries()) {
    if (!(yRecord instanceof Y.Map)) continue
    if (
      yRecord.get('typeName') !== 'shape' ||
      !CHAINMAP_SHAPE_TYPES.includes(yRecord.get('type') as never)
    ) {
      continue
    }
    const record = yMapToRecord(yRecord)
    const migrated = schema.migratePersistedRecord(record as unknown as TLRecord, effective, 'up')
    if (migrated.type === 'error') {
      issues.push({ shapeId: id, message: `shape ${id} cannot be migrated (${migrated.reason})` })
      continue
    }
    try {
      // Anyone can write to a doc: a corrupt record must not take the model (or a server) down.
      records.push(schema.types.shape.validate(migrated.value))
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      issues.push({ shapeId: id, message: `shape ${id} is invalid: ${reason}` })
    }
  }
  return { records, settings: readSettings(source), issues }
}

/**
 * The doc's schema as far as chain-map shapes are concerned: their versions from the doc, every
 * other sequence taken as already current (those records are not read here).
 */
function effectiveSchema(docSchema: unknown, ours: SerializedSchemaV2): SerializedSchema {
  const sequences = { ...ours.sequences }
  const declared = (docSchema as Partial<SerializedSchemaV2> | undefined)?.sequences
  if (declared && typeof declared === 'object') {
    for (const id of MODEL_SEQUENCES) {
      const version = declared[id]
      if (typeof version !== 'number') continue
      const ourVersion = ours.sequences[id] ?? 0
      if (version > ourVersion) {
        throw new BoardError(
          'newer-schema',
          `this board uses ${id} version ${version}, newer than this app's ${ourVersion}`,
        )
      }
      sequences[id] = version
    }
  }
  return { schemaVersion: 2, sequences }
}
