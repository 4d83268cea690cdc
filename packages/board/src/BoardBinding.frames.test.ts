import { createShapeId } from '@tldraw/tlschema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { createPeer, edit, recordOf } from '../test/peers.js'
import { Wire } from '../test/Wire.js'
import { getRecordsMap, PROPS_KEY } from './doc/boardDoc.js'
import { chainmapShapeRecord } from './shapes/chainmapShapeRecord.js'
import {
  defaultProductShapeProps,
  PRODUCT_SHAPE_TYPE,
  type ProductShape,
} from './shapes/productShape.js'

// In a browser tldraw hands store changes to listeners once per animation frame; under vitest it
// normally does so at once. These tests restore the browser's timing, with a timer for a frame.
const globals = globalThis as {
  __FORCE_RAF_IN_TESTS__?: boolean
  requestAnimationFrame?: (cb: (time: number) => void) => unknown
  cancelAnimationFrame?: (id: unknown) => void
}
const saved = { ...globals }

beforeAll(() => {
  globals.__FORCE_RAF_IN_TESTS__ = true
  globals.requestAnimationFrame = (cb) => setTimeout(() => cb(performance.now()), 16)
  globals.cancelAnimationFrame = (id) => clearTimeout(id as ReturnType<typeof setTimeout>)
})

afterAll(() => {
  globals.__FORCE_RAF_IN_TESTS__ = saved.__FORCE_RAF_IN_TESTS__
  globals.requestAnimationFrame = saved.requestAnimationFrame
  globals.cancelAnimationFrame = saved.cancelAnimationFrame
})

const frames = (n: number) => new Promise((resolve) => setTimeout(resolve, 40 * n))
const productId = createShapeId('product:shop')

describe('BoardBinding with per-frame store flushes', () => {
  it('syncs edits made between frames', async () => {
    const a = createPeer()
    const b = createPeer(a.doc)
    new Wire(a.doc, b.doc)
    a.store.put([chainmapShapeRecord(PRODUCT_SHAPE_TYPE, productId, defaultProductShapeProps())])
    edit<ProductShape>(a.store, productId, (r) => ({ ...r, x: 10 }))
    edit<ProductShape>(a.store, productId, (r) => ({ ...r, x: 20 }))
    expect(b.store.has(productId)).toBe(false)
    await frames(2)
    expect(recordOf<ProductShape>(b.store, productId).x).toBe(20)
  })

  it('lets a remote deletion win over a local edit still waiting for its frame', async () => {
    const { a, b } = await sharedProduct()
    edit<ProductShape>(a.store, productId, (r) => ({ ...r, x: 300 }))
    getRecordsMap(b.doc).delete(productId) // reaches a before a's frame
    await frames(3)
    for (const peer of [a, b]) {
      expect(peer.store.has(productId)).toBe(false)
      expect(getRecordsMap(peer.doc).has(productId)).toBe(false)
    }
  })

  it('keeps a local deletion still waiting for its frame over a remote edit', async () => {
    const { a, b } = await sharedProduct()
    a.store.remove([productId])
    yProps(b.doc).set('churn', 0.3) // reaches a before a's frame
    await frames(3)
    for (const peer of [a, b]) {
      expect(peer.store.has(productId)).toBe(false)
      expect(getRecordsMap(peer.doc).has(productId)).toBe(false)
    }
  })

  it('merges a local edit still waiting for its frame with a remote edit of another prop', async () => {
    const { a, b } = await sharedProduct()
    edit<ProductShape>(a.store, productId, (r) => ({ ...r, x: 120 }))
    yProps(b.doc).set('churn', 0.3) // reaches a before a's frame
    await frames(3)
    for (const peer of [a, b]) {
      const shape = recordOf<ProductShape>(peer.store, productId)
      expect([shape.x, shape.props.churn]).toEqual([120, 0.3])
    }
  })
})

async function sharedProduct() {
  const a = createPeer()
  const b = createPeer(a.doc)
  new Wire(a.doc, b.doc)
  a.store.put([chainmapShapeRecord(PRODUCT_SHAPE_TYPE, productId, defaultProductShapeProps())])
  await frames(2)
  expect(b.store.has(productId)).toBe(true)
  return { a, b }
}

function yProps(doc: Y.Doc): Y.Map<unknown> {
  return getRecordsMap(doc).get(productId)?.get(PROPS_KEY) as Y.Map<unknown>
}
