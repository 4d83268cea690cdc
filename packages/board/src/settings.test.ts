import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createPeer } from '../test/peers.js'
import { Wire } from '../test/Wire.js'
import { BoardError } from './BoardError.js'
import { getSettingsMap } from './doc/boardDoc.js'
import { DEFAULT_BOARD_SETTINGS, observeSettings, readSettings, writeSettings } from './settings.js'

describe('board settings', () => {
  it('read as the defaults on a new doc and ignore values that are not numbers', () => {
    const doc = new Y.Doc()
    expect(readSettings(doc)).toEqual(DEFAULT_BOARD_SETTINGS)
    getSettingsMap(doc).set('seed', 'seven')
    expect(readSettings(doc).seed).toBe(DEFAULT_BOARD_SETTINGS.seed)
  })

  it('merge per setting: two people changing different settings both win', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const wire = new Wire(a, b)
    wire.cut()
    writeSettings(a, { population: 5_000_000 })
    writeSettings(b, { horizonDays: 730 })
    wire.reconnect()
    for (const doc of [a, b]) {
      expect(readSettings(doc)).toMatchObject({ population: 5_000_000, horizonDays: 730 })
    }
  })

  it('notify observers with the new settings', () => {
    const doc = new Y.Doc()
    const seen: number[] = []
    const stop = observeSettings(doc, (settings) => seen.push(settings.stepDays))
    writeSettings(doc, { stepDays: 0.5 })
    writeSettings(doc, { stepDays: 0.5 })
    stop()
    writeSettings(doc, { stepDays: 2 })
    expect(seen).toEqual([0.5])
  })

  it('are changed through the binding only with values the sim accepts, and undoably', () => {
    const { doc, binding } = createPeer()
    const undo = binding.createUndoManager({ captureTimeout: 0 })
    binding.updateSettings({ population: 2_000_000 })
    expect(readSettings(doc).population).toBe(2_000_000)
    expect(() => binding.updateSettings({ stepDays: -1 })).toThrow(
      new BoardError('invalid-settings', 'stepDays must be > 0'),
    )
    expect(readSettings(doc).stepDays).toBe(DEFAULT_BOARD_SETTINGS.stepDays)
    undo.undo()
    expect(readSettings(doc).population).toBe(DEFAULT_BOARD_SETTINGS.population)
    undo.destroy()
  })

  it('cannot be changed through a read-only binding', () => {
    const { binding } = createPeer(undefined, { readOnly: true })
    expect(() => binding.updateSettings({ seed: 4 })).toThrow(/read-only/)
  })
})
