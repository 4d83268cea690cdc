import { parseModel } from '@chainmap/sim'
import { createShapeId, type TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createPeer } from '../../test/peers.js'
import { sampleBoardShapes, sampleIds } from '../../test/sampleBoard.js'
import { BoardError } from '../BoardError.js'
import { getMetaMap, getRecordsMap } from '../doc/boardDoc.js'
import { recordToYMap } from '../doc/yRecord.js'
import { readSettings, writeSettings } from '../settings.js'
import { chainmapShapeRecord } from '../shapes/chainmapShapeRecord.js'
import { LINK_SHAPE_TYPE } from '../shapes/linkShape.js'
import { defaultProductShapeProps, PRODUCT_SHAPE_TYPE } from '../shapes/productShape.js'
import { boardFromModel } from './boardFromModel.js'
import { boardIssues, modelFromBoard } from './modelFromBoard.js'

function drawnBoard() {
  const ids = sampleIds()
  const peer = createPeer()
  peer.store.put(sampleBoardShapes(ids))
  writeSettings(peer.doc, { population: 1_000_000, horizonDays: 120, seed: 9, networkEffect: 0.5 })
  return { ids, ...peer }
}

describe('modelFromBoard', () => {
  it('maps a drawn board to a model that passes parseModel, ids taken from shape ids', () => {
    const { ids, doc } = drawnBoard()
    const model = modelFromBoard(doc)
    expect(parseModel(model)).toEqual(model)
    const bare = (id: string) => id.slice('shape:'.length)
    expect(model.companies).toEqual([
      { id: bare(ids.giant), name: 'Giant', color: '#ff6a00' },
      { id: bare(ids.eco), name: 'Eco' },
    ])
    expect(model.markets.map((m) => m.name)).toEqual(['Shopping', 'Social'])
    expect(model.products.map((p) => [p.name, p.company, p.market])).toEqual([
      ['Shop', bare(ids.giant), bare(ids.shopping)],
      ['Rival shop', bare(ids.eco), bare(ids.shopping)],
      ['Chat', bare(ids.eco), bare(ids.social)],
    ])
    expect(model.links).toEqual([
      { from: bare(ids.chat), to: bare(ids.rival), funnel: 0.02, lockIn: 0.4 },
    ])
    expect(model).toMatchObject({ version: 1, population: 1_000_000, horizonDays: 120, seed: 9 })
  })

  it('reads the same model from the doc and from the store', () => {
    const { doc, store } = drawnBoard()
    expect(modelFromBoard({ records: store.allRecords(), settings: readSettings(doc) })).toEqual(
      modelFromBoard(doc),
    )
  })

  it('round-trips board → model → board → model', () => {
    const { doc } = drawnBoard()
    const first = modelFromBoard(doc)
    const board = boardFromModel(first)
    const second = modelFromBoard({ records: board.shapes, settings: board.settings })
    expect(second).toEqual(first)
    // and through a fresh shared doc, as an imported board would travel
    const peer = createPeer()
    peer.store.put(board.shapes)
    writeSettings(peer.doc, board.settings)
    expect(modelFromBoard(peer.doc)).toEqual(first)
  })

  it('leaves out what cannot be simulated yet and says why', () => {
    const { ids, doc, store } = drawnBoard()
    const orphan = createShapeId()
    store.put([
      chainmapShapeRecord(PRODUCT_SHAPE_TYPE, orphan, {
        ...defaultProductShapeProps(),
        name: 'Draft',
        market: ids.social,
      }),
      chainmapShapeRecord(LINK_SHAPE_TYPE, createShapeId(), {
        from: ids.chat,
        to: ids.rival,
        funnel: 0.1,
        lockIn: 0,
      }),
      chainmapShapeRecord(LINK_SHAPE_TYPE, createShapeId(), {
        from: ids.shop,
        to: ids.rival,
        funnel: 0.1,
        lockIn: 0,
      }),
      chainmapShapeRecord(LINK_SHAPE_TYPE, createShapeId(), {
        from: orphan,
        to: ids.shop,
        funnel: 0.1,
        lockIn: 0,
      }),
    ])
    const model = modelFromBoard(doc)
    expect(parseModel(model)).toEqual(model)
    expect(model.products.map((p) => p.name)).toEqual(['Shop', 'Rival shop', 'Chat'])
    expect(model.links).toHaveLength(1)
    expect(
      boardIssues(doc)
        .map((issue) => issue.message)
        .sort(),
    ).toEqual(
      [
        'product "Draft" has no company',
        'link "Chat" → "Rival shop" duplicates another link between the same products',
        'link "Shop" → "Rival shop" joins two products of one market, so it can never act',
        'link "Draft" → "Shop" has an end product that is missing or incomplete',
      ].sort(),
    )
  })

  it('drops a deleted company’s products instead of producing an invalid model', () => {
    const { ids, doc, store } = drawnBoard()
    store.remove([ids.giant])
    const model = modelFromBoard(doc)
    expect(parseModel(model)).toEqual(model)
    expect(model.products.map((p) => p.name)).toEqual(['Rival shop', 'Chat'])
    expect(boardIssues(doc)).toEqual([
      { shapeId: ids.shop, message: 'product "Shop": its company no longer exists' },
    ])
  })

  it('refuses a board whose chain-map shapes are newer than this package', () => {
    const { doc } = drawnBoard()
    const schema = getMetaMap(doc).get('schema') as { sequences: Record<string, number> }
    getMetaMap(doc).set('schema', {
      ...schema,
      sequences: { ...schema.sequences, 'com.tldraw.shape.chainmap-product': 7 },
    })
    expect(() => modelFromBoard(doc)).toThrow(BoardError)
    expect(() => modelFromBoard(doc)).toThrow(/chainmap-product version 7/)
  })

  it('ignores shapes it does not know, such as one a newer app adds', () => {
    const { doc } = drawnBoard()
    const before = modelFromBoard(doc)
    const schema = getMetaMap(doc).get('schema') as { sequences: Record<string, number> }
    doc.transact(() => {
      getMetaMap(doc).set('schema', {
        ...schema,
        sequences: { ...schema.sequences, 'com.tldraw.shape.chainmap-future': 3 },
      })
      getRecordsMap(doc).set(
        'shape:chart',
        recordToYMap({
          ...(chainmapShapeRecord(
            PRODUCT_SHAPE_TYPE,
            createShapeId('chart'),
            defaultProductShapeProps(),
          ) as TLShape),
          type: 'chainmap-future',
        } as never),
      )
    })
    expect(modelFromBoard(doc)).toEqual(before)
  })

  it('derives the same order on every collaborator, whatever order records arrive in', () => {
    const ids = sampleIds()
    const shapes = sampleBoardShapes(ids)
    const settings = readSettings(new Y.Doc())
    expect(modelFromBoard({ records: [...shapes].reverse(), settings })).toEqual(
      modelFromBoard({ records: shapes, settings }),
    )
  })

  it('leaves out a corrupt shape written by a misbehaving client, and names it', () => {
    const { ids, doc } = drawnBoard()
    const yProps = getRecordsMap(doc).get(ids.rival)?.get('props') as Y.Map<unknown>
    yProps.set('churn', 'lots')
    getRecordsMap(doc).get(ids.chat)?.delete('props')
    const model = modelFromBoard(doc)
    expect(parseModel(model)).toEqual(model)
    expect(model.products.map((p) => p.name)).toEqual(['Shop'])
    const messages = boardIssues(doc).map((issue) => issue.message)
    expect(messages).toContainEqual(
      expect.stringMatching(new RegExp(`^shape ${ids.rival} is invalid: .*churn`)),
    )
    expect(messages).toContainEqual(
      expect.stringMatching(new RegExp(`^shape ${ids.chat} is invalid`)),
    )
  })
})
