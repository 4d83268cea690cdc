import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { futureBoardSchema, PRODUCT_SEQUENCE } from '../../test/futureSchema.js'
import { createBoardSchema } from '../boardSchema.js'
import { getMetaMap } from './boardDoc.js'
import { checkBoardSchema } from './checkBoardSchema.js'
import { writeBoardMeta } from './schemaMeta.js'

function docWrittenWith(schema = createBoardSchema()): Y.Doc {
  const doc = new Y.Doc()
  writeBoardMeta(doc, schema)
  return doc
}

describe('checkBoardSchema', () => {
  it('accepts a new, empty doc', () => {
    expect(checkBoardSchema(new Y.Doc())).toMatchObject({ ok: true, needsMigration: false })
  })

  it('accepts a doc written with this schema, with nothing to migrate', () => {
    expect(checkBoardSchema(docWrittenWith())).toMatchObject({ ok: true, needsMigration: false })
  })

  it('asks for a migration when the doc is older', () => {
    expect(checkBoardSchema(docWrittenWith(), futureBoardSchema())).toMatchObject({
      ok: true,
      readOnly: false,
      needsMigration: true,
    })
  })

  it('stays read-only on a doc with a newer migration of a record type', () => {
    const result = checkBoardSchema(docWrittenWith(futureBoardSchema()))
    expect(result).toEqual({
      ok: false,
      readOnly: true,
      reason: `this board uses ${PRODUCT_SEQUENCE} version 1, newer than this app's 0; reload to update`,
    })
  })

  it('stays read-only on a newer board format, an unknown record type or a garbled meta', () => {
    const newerFormat = docWrittenWith()
    getMetaMap(newerFormat).set('formatVersion', 2)
    expect(checkBoardSchema(newerFormat)).toMatchObject({
      readOnly: true,
      reason: expect.stringContaining('board format 2'),
    })

    const unknownType = docWrittenWith()
    const schema = getMetaMap(unknownType).get('schema') as { sequences: Record<string, number> }
    getMetaMap(unknownType).set('schema', {
      schemaVersion: 2,
      sequences: { ...schema.sequences, 'com.tldraw.shape.chainmap-future': 0 },
    })
    expect(checkBoardSchema(unknownType)).toMatchObject({
      readOnly: true,
      reason: expect.stringContaining('"com.tldraw.shape.chainmap-future"'),
    })

    const newerTldrawFormat = docWrittenWith()
    getMetaMap(newerTldrawFormat).set('schema', { schemaVersion: 3, records: {} })
    expect(checkBoardSchema(newerTldrawFormat)).toMatchObject({ readOnly: true })

    const garbled = docWrittenWith()
    getMetaMap(garbled).set('formatVersion', 'one')
    expect(checkBoardSchema(garbled)).toMatchObject({ readOnly: true })
  })
})
