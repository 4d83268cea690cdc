import { createShapeId, type TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { futureBoardSchema, PRODUCT_SEQUENCE } from '../test/futureSchema.js'
import { createPeer, edit, recordOf } from '../test/peers.js'
import { Wire } from '../test/Wire.js'
import { BoardBinding, type BoardBindingStatus } from './BoardBinding.js'
import type { BoardError } from './BoardError.js'
import { createBoardStore } from './createBoardStore.js'
import { getMetaMap, getRecordsMap, PROPS_KEY } from './doc/boardDoc.js'
import { chainmapShapeRecord } from './shapes/chainmapShapeRecord.js'
import {
  defaultProductShapeProps,
  PRODUCT_SHAPE_TYPE,
  type ProductShape,
} from './shapes/productShape.js'

const productId = createShapeId('product:shop')

/** A board written by today's app, holding one product. */
function todaysBoard() {
  const peer = createPeer()
  peer.store.put([
    chainmapShapeRecord(PRODUCT_SHAPE_TYPE, productId, {
      ...defaultProductShapeProps(),
      name: 'Shop',
    }),
  ])
  return peer
}

/** A client of the imagined next release, on a copy of `doc`. */
function futureClient(doc: Y.Doc, readOnly = false) {
  const store = createBoardStore({ schema: futureBoardSchema() })
  store.mergeRemoteChanges(() => {})
  const binding = new BoardBinding({ store, doc, readOnly })
  return { store, binding }
}

function productSequenceOf(doc: Y.Doc): number | undefined {
  return (getMetaMap(doc).get('schema') as { sequences: Record<string, number> }).sequences[
    PRODUCT_SEQUENCE
  ]
}

describe('schema migrations through the binding', () => {
  it('a newer client migrates an older board and records the new schema', () => {
    const today = todaysBoard()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(today.doc))
    const future = futureClient(doc)
    expect(future.binding.status).toEqual({ readOnly: false })
    expect((recordOf<TLShape>(future.store, productId).props as { note: string }).note).toBe('')
    const yProps = getRecordsMap(doc).get(productId)?.get(PROPS_KEY) as Y.Map<unknown>
    expect(yProps.get('note')).toBe('')
    expect(productSequenceOf(doc)).toBe(1)
  })

  it('a view-only newer client migrates in memory only', () => {
    const today = todaysBoard()
    const before = Y.encodeStateAsUpdate(today.doc)
    const future = futureClient(today.doc, true)
    expect((recordOf<TLShape>(future.store, productId).props as { note: string }).note).toBe('')
    expect(Y.encodeStateAsUpdate(today.doc)).toEqual(before)
    expect(productSequenceOf(today.doc)).toBe(0)
  })

  it('an older client that is connected when the board is migrated turns read-only and says why', async () => {
    const statuses: BoardBindingStatus[] = []
    const errors: BoardError[] = []
    const today = createPeer(undefined, {
      onStatusChange: (status) => statuses.push(status),
      onError: (error) => errors.push(error),
    })
    today.store.put([
      chainmapShapeRecord(PRODUCT_SHAPE_TYPE, productId, {
        ...defaultProductShapeProps(),
        name: 'Shop',
      }),
    ])
    const futureDoc = new Y.Doc()
    Y.applyUpdate(futureDoc, Y.encodeStateAsUpdate(today.doc))
    new Wire(today.doc, futureDoc)
    futureClient(futureDoc)

    expect(today.binding.status).toEqual({
      readOnly: true,
      cause: 'newer-schema',
      reason: `this board uses ${PRODUCT_SEQUENCE} version 1, newer than this app's 0; reload to update`,
    })
    expect(statuses).toEqual([today.binding.status])
    // the migrated product does not validate here: reported, not applied, not crashed
    expect(errors.map((e) => e.code)).toContain('invalid-record')

    let written = 0
    today.doc.on('update', () => {
      written += 1
    })
    edit<ProductShape>(today.store, productId, (r) => ({ ...r, x: 500 }))
    await Promise.resolve()
    expect(written).toBe(0)
    expect(recordOf<ProductShape>(today.store, productId).x).toBe(0)
  })

  it('an older client opening a newer board is read-only from the start', () => {
    const today = todaysBoard()
    futureClient(today.doc)
    const late = createPeer(today.doc)
    expect(late.binding.status).toMatchObject({ readOnly: true, cause: 'newer-schema' })
  })
})
