import { describe, expect, it } from 'vitest'
import { createPeer } from '../../test/peers.js'
import { sampleBoardShapes, sampleIds } from '../../test/sampleBoard.js'
import { writeSettings } from '../settings.js'
import { validateSettingsChange, validateShapeChange } from './validateChange.js'

function board() {
  const ids = sampleIds()
  const peer = createPeer()
  peer.store.put(sampleBoardShapes(ids))
  writeSettings(peer.doc, { population: 1_000_000 })
  return { ids, ...peer }
}

describe('validateShapeChange', () => {
  it('accepts a valid value', () => {
    const { ids, doc } = board()
    expect(validateShapeChange(doc, ids.shop, 'churn', 0.2)).toEqual({ ok: true })
  })

  it('answers with the sim’s message for a value the sim rejects', () => {
    const { ids, doc } = board()
    expect(validateShapeChange(doc, ids.shop, 'churn', -1)).toMatchObject({
      ok: false,
      message: 'products[0].churn must be >= 0',
      problems: [{ path: 'products[0].churn', shapeId: ids.shop }],
    })
    expect(validateShapeChange(doc, ids.link, 'lockIn', 1.5)).toMatchObject({
      ok: false,
      message: 'links[0].lockIn must be <= 1',
    })
    expect(validateShapeChange(doc, ids.rival, 'appeal', 0)).toMatchObject({
      ok: false,
      message: 'products[1].appeal must be > 0',
    })
    expect(validateShapeChange(doc, ids.social, 'reach', 2_000_000)).toMatchObject({
      ok: false,
      message: 'markets[1].reach must be <= population (1000000)',
    })
    const notANumber = validateShapeChange(doc, ids.shopping, 'q', Number.NaN)
    expect(notANumber.ok).toBe(false)
    if (!notANumber.ok) expect(notANumber.message).toMatch(/^markets\[0\]\.q must be a/)
  })

  it('rejects a cross-field break: initial users above the market reach', () => {
    const { ids, doc } = board()
    expect(validateShapeChange(doc, ids.chat, 'initialUsers', 900_000)).toMatchObject({
      ok: false,
      message: 'products[2].initialUsers must be <= the reach of its market (800000)',
    })
  })

  it('does not blame an edit for a problem that was already there', () => {
    const { ids, doc, store } = board()
    const shop = store.get(ids.shop)!
    store.put([{ ...shop, props: { ...shop.props, churn: -5 } } as typeof shop])
    expect(validateShapeChange(doc, ids.rival, 'churn', 0.3)).toEqual({ ok: true })
  })

  it('checks props outside the model with the tldraw validator', () => {
    const { ids, doc } = board()
    const result = validateShapeChange(doc, ids.shop, 'w', -10)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(/^w: /)
    expect(validateShapeChange(doc, ids.shop, 'colour', 'red')).toMatchObject({
      ok: false,
      message: 'colour is not a property of chainmap-product',
    })
  })
})

describe('validateSettingsChange', () => {
  it('answers with the sim’s message', () => {
    const { doc, ids } = board()
    expect(validateSettingsChange(doc, { stepDays: 0 })).toMatchObject({
      ok: false,
      message: 'stepDays must be > 0',
    })
    expect(validateSettingsChange(doc, { population: 600_000 })).toMatchObject({
      ok: false,
      message: 'markets[1].reach must be <= population (600000)',
      problems: [{ path: 'markets[1].reach', shapeId: ids.social }],
    })
    expect(validateSettingsChange(doc, { seed: 1.5 })).toMatchObject({ ok: false })
    expect(validateSettingsChange(doc, { horizonDays: 730, networkEffect: 2 })).toEqual({
      ok: true,
    })
  })
})
