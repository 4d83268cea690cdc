import { createShapeId } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { linkShapeIdForModel, modelIdOfShape, shapeIdForModel } from './modelIds.js'

describe('model ids and shape ids', () => {
  it('round-trips model ids through shape ids, colons included', () => {
    for (const id of ['chinese-baby', 'a:b', 'product:x', 'company:y']) {
      for (const kind of ['company', 'market', 'product'] as const) {
        expect(modelIdOfShape(shapeIdForModel(kind, id), kind)).toBe(id)
      }
    }
    expect(shapeIdForModel('product', 'chinese-baby')).toBe('shape:product:chinese-baby')
  })

  it('uses a drawn shape’s random id as its model id', () => {
    const id = createShapeId()
    expect(modelIdOfShape(id, 'product')).toBe(id.slice('shape:'.length))
  })

  it('gives distinct link ids to links whose ends only differ in where a colon falls', () => {
    expect(linkShapeIdForModel('a:b', 'c')).not.toBe(linkShapeIdForModel('a', 'b:c'))
  })
})
