import { shapeIdForModel } from '@chainmap/board'
import { compareScenarios, simulate } from '@chainmap/sim'
import story from '@chainmap/sim/scenarios/ecosystem-vs-giant.json' with { type: 'json' }
import { describe, expect, it } from 'vitest'
import { chartOverlay, SCENARIO_DASHES } from './chartOverlay'

describe('chartOverlay', () => {
  const products = [
    { id: shapeIdForModel('product', 'chinese-baby'), color: '#f00' },
    { id: shapeIdForModel('product', 'global-purchases'), color: '#0f0' },
  ]
  const comparison = compareScenarios(story, [
    { name: 'Board', overrides: {} },
    { name: 'Chain', overrides: { 'links.ali-shopping->chinese-baby.funnel': 0.05 } },
  ])

  it("draws each compared scenario's version of every line, one dash pattern per scenario", () => {
    const overlay = chartOverlay('market-share', products, comparison, null)
    expect(overlay.lines.map((l) => [l.scenario, l.color, l.dash])).toEqual([
      ['Board', '#f00', SCENARIO_DASHES[0]],
      ['Board', '#0f0', SCENARIO_DASHES[0]],
      ['Chain', '#f00', SCENARIO_DASHES[1]],
      ['Chain', '#0f0', SCENARIO_DASHES[1]],
    ])
    const chain = comparison.scenarios[1]!.result.products['chinese-baby']!.share
    expect(overlay.lines[2]!.values).toBe(chain)
    // With the funnel the giant's purchasing product ends with more of the market.
    const last = chain.length - 1
    expect(chain[last]!).toBeGreaterThan(overlay.lines[0]!.values[last]!)
    expect(overlay.bands).toEqual([])
  })

  it('draws p10–p90 bands with the p50 line after an agents run, scaling a users chart to them', () => {
    const agents = simulate(story, { engine: 'agents', agents: 2000, runs: 3 })
    const companies = [{ id: shapeIdForModel('company', 'ali'), color: '#00f' }]
    const overlay = chartOverlay('company-users', companies, null, agents)
    expect(overlay.lines).toEqual([])
    expect(overlay.bands).toHaveLength(1)
    const band = overlay.bands[0]!
    expect(band.low).toBe(agents.companies.ali!.p10!.users)
    expect(band.mid).toBe(agents.companies.ali!.p50!.users)
    expect(band.high).toBe(agents.companies.ali!.p90!.users)
    expect(overlay.max).toBe(Math.max(...agents.companies.ali!.p90!.users))
  })

  it('skips lines the results do not know (a shape drawn after the run)', () => {
    const overlay = chartOverlay(
      'market-share',
      [{ id: 'shape:new', color: '#000' }],
      comparison,
      null,
    )
    expect(overlay.lines).toEqual([])
  })
})
