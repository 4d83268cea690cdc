import { createShapeId, type TLPage, type TLPageId, type TLShapeId } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createPeer, edit, recordOf, usableStore } from '../test/peers.js'
import { Wire } from '../test/Wire.js'
import { BoardBinding } from './BoardBinding.js'
import type { BoardError } from './BoardError.js'
import { createBoardSchema } from './boardSchema.js'
import { createBoardStore } from './createBoardStore.js'
import { getRecordsMap, PROPS_KEY } from './doc/boardDoc.js'
import { writeBoardRecords } from './doc/boardRecords.js'
import { chainmapShapeRecord } from './shapes/chainmapShapeRecord.js'
import {
  defaultProductShapeProps,
  PRODUCT_SHAPE_TYPE,
  type ProductShape,
} from './shapes/productShape.js'

const productId: TLShapeId = createShapeId('product:shop')

function product(overrides: Partial<ProductShape['props']> = {}): ProductShape {
  return chainmapShapeRecord(PRODUCT_SHAPE_TYPE, productId, {
    ...defaultProductShapeProps(),
    name: 'Shop',
    ...overrides,
  })
}

function pair() {
  const a = createPeer()
  const b = createPeer(a.doc)
  const wire = new Wire(a.doc, b.doc)
  return { a, b, wire }
}

describe('BoardBinding', () => {
  it('fills an empty doc from the store, one nested map per record and per props', () => {
    const { store, doc } = createPeer()
    store.put([product()])
    const yProduct = getRecordsMap(doc).get(productId)
    expect(yProduct).toBeInstanceOf(Y.Map)
    expect(yProduct?.get('x')).toBe(0)
    const props = yProduct?.get(PROPS_KEY)
    expect(props).toBeInstanceOf(Y.Map)
    expect((props as Y.Map<unknown>).get('name')).toBe('Shop')
    expect(getRecordsMap(doc).has('document:document')).toBe(true)
    expect(getRecordsMap(doc).has('page:page')).toBe(true)
    // session records (camera, instance, pointer) stay local
    expect([...getRecordsMap(doc).keys()].some((id) => id.startsWith('instance'))).toBe(false)
  })

  it('loads an existing doc into a fresh store', () => {
    const a = createPeer()
    a.store.put([product({ churn: 0.02 })])
    const b = createPeer(a.doc)
    expect(recordOf<ProductShape>(b.store, productId).props.churn).toBe(0.02)
  })

  it('carries creation, edits and deletion to the other store', () => {
    const { a, b } = pair()
    a.store.put([product()])
    expect(recordOf<ProductShape>(b.store, productId).props.name).toBe('Shop')
    edit<ProductShape>(b.store, productId, (r) => ({ ...r, x: 120 }))
    expect(recordOf<ProductShape>(a.store, productId).x).toBe(120)
    a.store.remove([productId])
    expect(b.store.has(productId)).toBe(false)
  })

  it('keeps both of two concurrent edits of different properties of one shape', () => {
    const { a, b, wire } = pair()
    a.store.put([product()])
    wire.cut()
    edit<ProductShape>(a.store, productId, (r) => ({ ...r, x: 300, y: 40 }))
    edit<ProductShape>(b.store, productId, (r) => ({ ...r, props: { ...r.props, churn: 0.05 } }))
    wire.reconnect()
    for (const store of [a.store, b.store]) {
      const shape = recordOf<ProductShape>(store, productId)
      expect(shape.x).toBe(300)
      expect(shape.y).toBe(40)
      expect(shape.props.churn).toBe(0.05)
    }
    expect(a.doc.getMap('records').toJSON()).toEqual(b.doc.getMap('records').toJSON())
  })

  it('puts at most 20 KB on the wire for a one-second drag (60 position changes)', () => {
    const { a, b } = pair()
    a.store.put([product()])
    let bytes = 0
    let updates = 0
    a.doc.on('update', (update: Uint8Array) => {
      bytes += update.byteLength
      updates += 1
    })
    for (let frame = 1; frame <= 60; frame++) {
      edit<ProductShape>(a.store, productId, (r) => ({ ...r, x: r.x + 3.5, y: r.y + 1.25 }))
    }
    console.log(`drag: ${updates} updates, ${bytes} bytes of Yjs updates for 60 frames`)
    expect(updates).toBe(60)
    expect(bytes).toBeLessThanOrEqual(20 * 1024)
    expect(recordOf<ProductShape>(b.store, productId).x).toBe(210)
  })

  it('writes only the changed fields', () => {
    const { store, doc } = createPeer()
    store.put([product()])
    const changed: string[] = []
    getRecordsMap(doc).observeDeep((events) => {
      for (const event of events) {
        if (event instanceof Y.YMapEvent) changed.push(...event.keysChanged)
      }
    })
    edit<ProductShape>(store, productId, (r) => ({ ...r, props: { ...r.props, appeal: 2 } }))
    expect(changed).toEqual(['appeal'])
  })

  it('undoes only the local person’s own changes', () => {
    const { a, b } = pair()
    a.store.put([product()])
    const undo = a.binding.createUndoManager({ captureTimeout: 0 })
    edit<ProductShape>(a.store, productId, (r) => ({ ...r, x: 500 }))
    edit<ProductShape>(b.store, productId, (r) => ({ ...r, props: { ...r.props, churn: 0.09 } }))
    undo.undo()
    for (const store of [a.store, b.store]) {
      const shape = recordOf<ProductShape>(store, productId)
      expect(shape.x).toBe(0)
      expect(shape.props.churn).toBe(0.09)
    }
    undo.redo()
    expect(recordOf<ProductShape>(b.store, productId).x).toBe(500)
    undo.destroy()
  })

  it('undoes a deletion, restoring the whole shape everywhere', () => {
    const { a, b } = pair()
    const undo = a.binding.createUndoManager({ captureTimeout: 0 })
    a.store.put([product({ churn: 0.03 })])
    undo.stopCapturing()
    a.store.remove([productId])
    expect(b.store.has(productId)).toBe(false)
    undo.undo()
    expect(recordOf<ProductShape>(b.store, productId).props.churn).toBe(0.03)
    expect(recordOf<ProductShape>(a.store, productId).props.churn).toBe(0.03)
    undo.destroy()
  })

  it('in read-only mode writes nothing and reverts local edits', async () => {
    const a = createPeer()
    a.store.put([product()])
    const viewer = createPeer(a.doc, { readOnly: true })
    expect(viewer.binding.status).toEqual({
      readOnly: true,
      cause: 'view-only',
      reason: 'view-only link',
    })
    let written = 0
    viewer.doc.on('update', () => {
      written += 1
    })
    edit<ProductShape>(viewer.store, productId, (r) => ({ ...r, x: 999 }))
    viewer.store.remove([productId])
    const drawn = chainmapShapeRecord(
      PRODUCT_SHAPE_TYPE,
      createShapeId(),
      defaultProductShapeProps(),
    )
    viewer.store.put([drawn])
    await Promise.resolve()
    expect(written).toBe(0)
    expect(recordOf<ProductShape>(viewer.store, productId).x).toBe(0)
    expect(viewer.store.has(drawn.id)).toBe(false)
  })

  it('still shows remote edits in read-only mode', () => {
    const a = createPeer()
    a.store.put([product()])
    const viewer = createPeer(a.doc, { readOnly: true })
    new Wire(a.doc, viewer.doc)
    edit<ProductShape>(a.store, productId, (r) => ({ ...r, props: { ...r.props, name: 'Mall' } }))
    expect(recordOf<ProductShape>(viewer.store, productId).props.name).toBe('Mall')
  })

  it('skips an invalid remote record and reports it, keeping the last valid version', () => {
    const errors: BoardError[] = []
    const a = createPeer()
    a.store.put([product()])
    const b = createPeer(a.doc, { onError: (error) => errors.push(error) })
    new Wire(a.doc, b.doc)
    const yProps = getRecordsMap(a.doc).get(productId)?.get(PROPS_KEY) as Y.Map<unknown>
    yProps.set('churn', 'lots')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.code).toBe('invalid-record')
    expect(errors[0]?.message).toContain(productId)
    expect(recordOf<ProductShape>(b.store, productId).props.churn).toBe(0.001)
  })

  it('stops syncing after dispose', () => {
    const { a, b } = pair()
    a.binding.dispose()
    a.store.put([product()])
    expect(b.store.has(productId)).toBe(false)
  })

  it('replaces a fresh store’s default records with the doc’s', () => {
    const a = createPeer()
    a.store.put([product()])
    edit<TLPage>(a.store, 'page:page' as TLPageId, (page) => ({ ...page, name: 'Strategy' }))
    const store = usableStore()
    new BoardBinding({ store, doc: a.doc })
    expect(recordOf<TLPage>(store, 'page:page' as TLPageId).name).toBe('Strategy')
  })

  it('shares the document and page tldraw adds to a doc that holds only shapes', () => {
    const doc = new Y.Doc()
    writeBoardRecords(doc, [product()], { schema: createBoardSchema() })
    expect(getRecordsMap(doc).has('page:page')).toBe(false)
    new BoardBinding({ store: usableStore(), doc })
    expect(getRecordsMap(doc).has('page:page')).toBe(true)
    expect(getRecordsMap(doc).has('document:document')).toBe(true)
  })

  it('applies a remote change that arrives inside a tldraw transaction right after it', async () => {
    const { a, b, wire } = pair()
    a.store.put([product()])
    wire.cut()
    edit<ProductShape>(a.store, productId, (r) => ({ ...r, y: 77 }))
    // Store.atomic is what tldraw's editor.run uses; it is not in the public typings.
    const store = b.store as unknown as { atomic(fn: () => void): void }
    store.atomic(() => {
      wire.reconnect()
      expect(recordOf<ProductShape>(b.store, productId).y).toBe(0)
    })
    await Promise.resolve()
    expect(recordOf<ProductShape>(b.store, productId).y).toBe(77)
  })

  it('lets a viewer of an empty board keep the page tldraw needs, without writing it', async () => {
    const doc = new Y.Doc()
    let written = 0
    doc.on('update', () => {
      written += 1
    })
    const store = usableStore()
    new BoardBinding({ store, doc, readOnly: true })
    for (let i = 0; i < 5; i++) await Promise.resolve()
    expect(store.has('page:page' as TLPageId)).toBe(true)
    expect(store.has('document:document' as never)).toBe(true)
    expect(written).toBe(0)
  })

  it('lets a viewer whose editor mounts after binding keep the page it creates', async () => {
    const doc = new Y.Doc()
    const store = createBoardStore()
    new BoardBinding({ store, doc, readOnly: true })
    let changes = 0
    store.listen(() => {
      changes += 1
    })
    // what an Editor does when it mounts on an empty store
    store.mergeRemoteChanges(() => {})
    for (let i = 0; i < 20; i++) await Promise.resolve()
    expect(store.has('page:page' as TLPageId)).toBe(true)
    expect(changes).toBeLessThan(5)
    expect(getRecordsMap(doc).size).toBe(0)
  })

  it('shares the page a viewer kept once the viewer may edit', async () => {
    const doc = new Y.Doc()
    const store = createBoardStore()
    const binding = new BoardBinding({ store, doc, readOnly: true })
    store.mergeRemoteChanges(() => {})
    await Promise.resolve()
    expect(getRecordsMap(doc).size).toBe(0)
    binding.setReadOnly(false)
    expect(getRecordsMap(doc).has('page:page')).toBe(true)
    store.put([product()])
    expect(getRecordsMap(doc).has(productId)).toBe(true)
  })
})
