import { ModelError, parseModel } from '@chainmap/sim'
import type { TLShape } from '@tldraw/tlschema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arbitraryModel } from '../../test/arbitraryModel.js'
import { createPeer } from '../../test/peers.js'
import { writeSettings } from '../settings.js'
import { boardFromModel } from './boardFromModel.js'
import { modelFromBoard } from './modelFromBoard.js'
import { shapeIdForModel } from './modelIds.js'

const story = {
  version: 1,
  population: 1000,
  horizonDays: 30,
  stepDays: 1,
  seed: 3,
  networkEffect: 1,
  ecosystemPull: 0.5,
  companies: [
    { id: 'ali', name: 'Ali', color: '#ff6a00' },
    { id: 'jiangyan', name: 'Jiangyan' },
  ],
  markets: [
    { id: 'social', name: 'Social', reach: 900, p: 0.001, q: 0.05 },
    { id: 'purchasing', name: 'Purchasing', reach: 400, p: 0.002, q: 0.03 },
  ],
  products: [
    {
      id: 'global-purchases',
      name: 'Global Purchases',
      company: 'ali',
      market: 'purchasing',
      appeal: 1.2,
      launchDay: 0,
      initialUsers: 10,
      churn: 0.01,
    },
    {
      id: 'jy-social',
      name: 'JY Social',
      company: 'jiangyan',
      market: 'social',
      appeal: 1,
      launchDay: 0,
      initialUsers: 100,
      churn: 0.001,
    },
    {
      id: 'chinese-baby',
      name: 'Chinese Baby',
      company: 'jiangyan',
      market: 'purchasing',
      appeal: 1,
      launchDay: 30,
      initialUsers: 0,
      churn: 0.01,
    },
  ],
  links: [{ from: 'jy-social', to: 'chinese-baby', funnel: 0.02, lockIn: 0.5 }],
}

function shapeOf(shapes: TLShape[], id: string): TLShape {
  const shape = shapes.find((s) => s.id === id)
  if (!shape) throw new Error(`no shape ${id}`)
  return shape
}

describe('boardFromModel', () => {
  it('makes valid tldraw records that a store accepts, with products inside their lanes', () => {
    const { shapes, settings } = boardFromModel(story)
    const { store } = createPeer()
    store.put(shapes)
    expect(shapes).toHaveLength(2 + 2 + 3 + 1)
    const product = shapeOf(shapes, shapeIdForModel('product', 'chinese-baby'))
    expect(product.parentId).toBe(shapeIdForModel('market', 'purchasing'))
    expect(product.props).toMatchObject({
      company: shapeIdForModel('company', 'jiangyan'),
      market: shapeIdForModel('market', 'purchasing'),
      launchDay: 30,
    })
    expect(settings).toEqual({
      population: 1000,
      horizonDays: 30,
      stepDays: 1,
      seed: 3,
      networkEffect: 1,
      ecosystemPull: 0.5,
    })
  })

  it('places shapes where the layout says, products relative to their lane', () => {
    const { shapes } = boardFromModel(story, {
      markets: { purchasing: { x: 500, y: 1000, w: 1200, h: 300 } },
      products: { 'chinese-baby': { x: 700, y: 1050 } },
      companies: { ali: { x: -400, y: 20 } },
    })
    const lane = shapeOf(shapes, shapeIdForModel('market', 'purchasing'))
    expect([lane.x, lane.y, (lane.props as { w: number }).w]).toEqual([500, 1000, 1200])
    const product = shapeOf(shapes, shapeIdForModel('product', 'chinese-baby'))
    expect([product.x, product.y]).toEqual([200, 50])
    const company = shapeOf(shapes, shapeIdForModel('company', 'ali'))
    expect([company.x, company.y]).toEqual([-400, 20])
  })

  it('lays out without a layout: lanes do not overlap, products sit inside their lane', () => {
    const { shapes } = boardFromModel(story)
    const lanes = shapes.filter((s) => s.type === 'chainmap-market')
    const [first, second] = lanes as [TLShape, TLShape]
    expect(second.y).toBeGreaterThanOrEqual(first.y + (first.props as { h: number }).h)
    for (const product of shapes.filter((s) => s.type === 'chainmap-product')) {
      const lane = shapeOf(shapes, product.parentId)
      const { w, h } = lane.props as { w: number; h: number }
      const size = product.props as { w: number; h: number }
      expect(product.x).toBeGreaterThanOrEqual(0)
      expect(product.y).toBeGreaterThanOrEqual(0)
      expect(product.x + size.w).toBeLessThanOrEqual(w)
      expect(product.y + size.h).toBeLessThanOrEqual(h)
    }
  })

  it('rejects an invalid model with the sim’s messages', () => {
    const broken = { ...story, links: [{ from: 'jy-social', to: 'nope', funnel: 0, lockIn: 0 }] }
    expect(() => boardFromModel(broken)).toThrow(ModelError)
    expect(() => boardFromModel(broken)).toThrow(/links\[0\]\.to "nope" is not a product id/)
  })

  it('round-trips model → board → model exactly, through a shared doc', () => {
    const { shapes, settings } = boardFromModel(story)
    const peer = createPeer()
    peer.store.put(shapes)
    writeSettings(peer.doc, settings)
    expect(modelFromBoard(peer.doc)).toEqual(parseModel(story))
  })

  it('round-trips any valid model (property test)', () => {
    const seed = Number(process.env.CHAINMAP_TEST_SEED ?? Date.now() % 2 ** 31)
    console.log(
      `boardFromModel round trip: fast-check seed ${seed} (CHAINMAP_TEST_SEED=${seed} to replay)`,
    )
    fc.assert(
      fc.property(arbitraryModel, (model) => {
        const board = boardFromModel(model)
        const back = modelFromBoard({ records: board.shapes, settings: board.settings })
        expect(back).toEqual(parseModel(model))
        const again = boardFromModel(back)
        expect(modelFromBoard({ records: again.shapes, settings: again.settings })).toEqual(back)
      }),
      { numRuns: 200, seed },
    )
  })
})
