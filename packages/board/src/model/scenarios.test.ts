import { parseModel } from '@chainmap/sim'
import ecosystemVsGiant from '@chainmap/sim/scenarios/ecosystem-vs-giant.json' with { type: 'json' }
import giantBuildsAChain from '@chainmap/sim/scenarios/giant-builds-a-chain.json' with {
  type: 'json',
}
import { describe, expect, it } from 'vitest'
import { createPeer } from '../../test/peers.js'
import { writeSettings } from '../settings.js'
import { boardFromModel } from './boardFromModel.js'
import { boardIssues, modelFromBoard } from './modelFromBoard.js'

describe.each([
  ['ecosystem-vs-giant', ecosystemVsGiant],
  ['giant-builds-a-chain', giantBuildsAChain],
])('the sim scenario %s', (_name, scenario) => {
  it('round-trips model → board (through a shared doc) → model → board → model', () => {
    const model = parseModel(scenario)
    const board = boardFromModel(model)
    const peer = createPeer()
    peer.store.put(board.shapes)
    writeSettings(peer.doc, board.settings)
    const first = modelFromBoard(peer.doc)
    expect(first).toEqual(model)
    expect(boardIssues(peer.doc)).toEqual([])
    const again = boardFromModel(first)
    expect(modelFromBoard({ records: again.shapes, settings: again.settings })).toEqual(first)
  })
})
