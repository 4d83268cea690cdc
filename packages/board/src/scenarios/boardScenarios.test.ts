import { applyScenario, parseModel } from '@chainmap/sim'
import ecosystemVsGiant from '@chainmap/sim/scenarios/ecosystem-vs-giant.json' with { type: 'json' }
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createPeer } from '../../test/peers.js'
import { Wire } from '../../test/Wire.js'
import { BoardError } from '../BoardError.js'
import { boardFromModel } from '../model/boardFromModel.js'
import { modelFromBoard } from '../model/modelFromBoard.js'
import { linkShapeIdForModel, shapeIdForModel } from '../model/modelIds.js'
import { writeSettings } from '../settings.js'
import {
  createScenario,
  deleteScenario,
  getScenariosMap,
  observeScenarios,
  overridePathOfShape,
  readScenarios,
  removeScenarioOverride,
  renameScenario,
  setScenarioOverride,
  validateScenarioOverride,
} from './boardScenarios.js'

/** A peer whose doc holds the sim's story board. */
function storyPeer() {
  const peer = createPeer()
  const board = boardFromModel(parseModel(ecosystemVsGiant))
  peer.store.put(board.shapes)
  writeSettings(peer.doc, board.settings)
  return peer
}

/** Two docs on a wire, both holding the story board. */
function twoStoryDocs() {
  const a = storyPeer().doc
  const b = new Y.Doc()
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  return { a, b, wire: new Wire(a, b) }
}

describe('board scenarios', () => {
  it('are created, renamed, edited and deleted, and read back in name order', () => {
    const { doc } = storyPeer()
    expect(readScenarios(doc)).toEqual([])
    const chain = createScenario(doc, ' Giant builds a chain ', {
      'links.ali-shopping->chinese-baby.funnel': 0.05,
    })
    const cheap = createScenario(doc, 'Cheap payments')
    expect(readScenarios(doc).map((s) => s.name)).toEqual([
      'Cheap payments',
      'Giant builds a chain',
    ])
    setScenarioOverride(doc, cheap, 'products.jy-pay.churn', 0.0002)
    renameScenario(doc, cheap, 'Sticky payments')
    expect(readScenarios(doc)).toEqual([
      {
        id: chain,
        name: 'Giant builds a chain',
        overrides: { 'links.ali-shopping->chinese-baby.funnel': 0.05 },
      },
      { id: cheap, name: 'Sticky payments', overrides: { 'products.jy-pay.churn': 0.0002 } },
    ])
    removeScenarioOverride(doc, cheap, 'products.jy-pay.churn')
    deleteScenario(doc, chain)
    expect(readScenarios(doc)).toEqual([{ id: cheap, name: 'Sticky payments', overrides: {} }])
  })

  it('apply to the board model with the sim (the stored overrides are sim scenarios)', () => {
    const { doc } = storyPeer()
    const id = createScenario(doc, 'Chain', { 'links.ali-shopping->chinese-baby.funnel': 0.05 })
    const stored = readScenarios(doc).find((s) => s.id === id)!
    const model = applyScenario(modelFromBoard(doc), stored)
    expect(model.links.find((l) => l.from === 'ali-shopping')).toEqual({
      from: 'ali-shopping',
      to: 'chinese-baby',
      funnel: 0.05,
      lockIn: 0,
    })
  })

  it('reject empty and duplicate names, unknown ids and overrides the sim rejects, writing nothing', () => {
    const { doc } = storyPeer()
    const id = createScenario(doc, 'A')
    createScenario(doc, 'B')
    expect(() => createScenario(doc, '  ')).toThrow(
      new BoardError('invalid-scenario', 'scenario name must not be empty'),
    )
    expect(() => renameScenario(doc, id, 'B')).toThrow(/"B" is already used/)
    expect(() => deleteScenario(doc, 'scenario:nope')).toThrow(/"scenario:nope" does not exist/)
    expect(() => setScenarioOverride(doc, id, 'products.jy-pay.churn', -1)).toThrow(
      /products\[\d+\]\.churn must be >= 0/,
    )
    expect(() => setScenarioOverride(doc, id, 'products.nope.churn', 1)).toThrow(
      /"nope" is not a product id/,
    )
    expect(() => setScenarioOverride(doc, id, 'markets.social.colour', 1)).toThrow(
      /markets have no parameter "colour"/,
    )
    expect(() => createScenario(doc, 'C', { 'links.jy-pay->global-purchases.lockIn': 2 })).toThrow(
      /lockIn must be <= 1/,
    )
    expect(readScenarios(doc).map((s) => [s.name, s.overrides])).toEqual([
      ['A', {}],
      ['B', {}],
    ])
  })

  it('validate one override with the sim message, or say the board cannot be simulated', () => {
    const { doc } = storyPeer()
    expect(validateScenarioOverride(doc, 'markets.purchasing.p', 0.01)).toEqual({ ok: true })
    const verdict = validateScenarioOverride(doc, 'markets.purchasing.reach', 1e12)
    expect(verdict.ok).toBe(false)
    if (!verdict.ok) expect(verdict.message).toMatch(/reach must be <= population/)
    const empty = new Y.Doc()
    writeSettings(empty, { population: 0 })
    const broken = validateScenarioOverride(empty, 'settings.networkEffect', 1)
    expect(broken.ok).toBe(false)
    if (!broken.ok) expect(broken.message).toMatch(/cannot be simulated yet/)
  })

  it('merge per property: a rename and two override edits made offline all survive', () => {
    const { a, b, wire } = twoStoryDocs()
    const id = createScenario(a, 'Shared')
    wire.cut()
    renameScenario(a, id, 'Shared (renamed)')
    setScenarioOverride(a, id, 'products.jy-pay.churn', 0.0002)
    setScenarioOverride(b, id, 'markets.purchasing.q', 0.05)
    wire.reconnect()
    for (const doc of [a, b]) {
      expect(readScenarios(doc)).toEqual([
        {
          id,
          name: 'Shared (renamed)',
          overrides: { 'products.jy-pay.churn': 0.0002, 'markets.purchasing.q': 0.05 },
        },
      ])
    }
  })

  it('give concurrent creations distinct ids, so both scenarios survive', () => {
    const { a, b, wire } = twoStoryDocs()
    wire.cut()
    createScenario(a, 'From A')
    createScenario(b, 'From B')
    wire.reconnect()
    expect(readScenarios(a).map((s) => s.name)).toEqual(['From A', 'From B'])
    expect(readScenarios(b)).toEqual(readScenarios(a))
  })

  it('ignore stray entries and values written by a foreign client', () => {
    const { doc } = storyPeer()
    const map = getScenariosMap(doc)
    const stray = new Y.Map<unknown>()
    stray.set('overrides', new Y.Map())
    map.set('no-name', stray)
    const odd = new Y.Map<unknown>()
    const overrides = new Y.Map<unknown>()
    overrides.set('products.jy-pay.churn', 'lots')
    overrides.set('markets.social.p', 0.001)
    odd.set('name', 'Odd')
    odd.set('overrides', overrides)
    map.set('odd', odd)
    expect(readScenarios(doc)).toEqual([
      { id: 'odd', name: 'Odd', overrides: { 'markets.social.p': 0.001 } },
    ])
  })

  it('notify observers of deep changes until unsubscribed', () => {
    const { doc } = storyPeer()
    const seen: string[][] = []
    const stop = observeScenarios(doc, (list) =>
      seen.push(list.map((s) => `${s.name}:${Object.keys(s.overrides).length}`)),
    )
    const id = createScenario(doc, 'X')
    setScenarioOverride(doc, id, 'markets.social.q', 0.002)
    stop()
    renameScenario(doc, id, 'Y')
    expect(seen).toEqual([['X:0'], ['X:1']])
  })

  it('map an inspector edit of a shape to the override path', () => {
    const product = {
      id: shapeIdForModel('product', 'jy-pay'),
      type: 'chainmap-product',
      props: {},
    }
    const market = { id: shapeIdForModel('market', 'social'), type: 'chainmap-market', props: {} }
    const link = {
      id: linkShapeIdForModel('ali-shopping', 'chinese-baby'),
      type: 'chainmap-link',
      props: {
        from: shapeIdForModel('product', 'ali-shopping'),
        to: shapeIdForModel('product', 'chinese-baby'),
      },
    }
    expect(overridePathOfShape(product, 'churn')).toBe('products.jy-pay.churn')
    expect(overridePathOfShape(product, 'name')).toBeNull()
    expect(overridePathOfShape(market, 'q')).toBe('markets.social.q')
    expect(overridePathOfShape(link, 'lockIn')).toBe('links.ali-shopping->chinese-baby.lockIn')
    expect(overridePathOfShape({ ...link, props: { from: '', to: '' } }, 'funnel')).toBeNull()
    expect(
      overridePathOfShape({ id: 'shape:c', type: 'chainmap-company', props: {} }, 'name'),
    ).toBeNull()
  })

  it("are undone by their author's undo manager when written with the binding's origin", () => {
    const peer = storyPeer()
    const undo = peer.binding.createUndoManager({ captureTimeout: 0 })
    const id = createScenario(peer.doc, 'Mine', {}, peer.binding.origin)
    setScenarioOverride(peer.doc, id, 'markets.social.q', 0.002, peer.binding.origin)
    // Someone else's scenario (another origin) is not in this person's history.
    createScenario(peer.doc, 'Theirs')
    undo.undo()
    expect(readScenarios(peer.doc).map((s) => [s.name, s.overrides])).toEqual([
      ['Mine', {}],
      ['Theirs', {}],
    ])
    undo.undo()
    expect(readScenarios(peer.doc).map((s) => s.name)).toEqual(['Theirs'])
    undo.destroy()
  })
})
