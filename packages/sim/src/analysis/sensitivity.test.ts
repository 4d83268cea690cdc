import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { simulate } from '../simulate.js'
import { marketModel, product } from '../testing/fixtures.js'
import { parseOutcome } from './outcome.js'
import { sensitivityParameters } from './parameters.js'
import { applyScenario } from './scenario.js'
import { sensitivity } from './sensitivity.js'

const story = JSON.parse(
  readFileSync(new URL('../../scenarios/ecosystem-vs-giant.json', import.meta.url), 'utf8'),
)

describe('sensitivity', () => {
  it('ranks every parameter of the story by its swing of the newcomer’s share', async () => {
    const outcome = parseOutcome('share:global-purchases')
    const progress: number[] = []
    const analysis = await sensitivity(story, outcome, {
      onProgress: (fraction) => progress.push(fraction),
    })
    const all = sensitivityParameters(applyScenario(story, { name: 'drawn', overrides: {} }))
    // 2 settings + 7 markets × 3 + 8 products × 4 + 4 links × 2.
    expect(all).toHaveLength(63)
    // Six products launch on day 0: ±20 % of 0 is 0, so they are skipped, not moved.
    expect(analysis.skipped).toHaveLength(6)
    expect(
      analysis.skipped.every((s) => s.reason === 'zero' && s.parameter.endsWith('.launchDay')),
    ).toBe(true)
    expect(analysis.drivers).toHaveLength(57)
    expect(analysis.baseline).toBeCloseTo(0.739, 3)
    for (let i = 1; i < analysis.drivers.length; i++) {
      expect(analysis.drivers[i - 1]!.swing).toBeGreaterThanOrEqual(analysis.drivers[i]!.swing)
    }
    expect(progress.at(-1)).toBe(1)
    expect(analysis.runs).toBeLessThanOrEqual(1 + 2 * 57)

    // Each bar is exactly the simulation of the moved board.
    const top = analysis.drivers[0]!
    const moved = applyScenario(story, { name: 'up', overrides: { [top.parameter]: top.high } })
    const k = 365
    expect(top.outcomeHigh).toBe(simulate(moved).products['global-purchases']!.share[k])
    expect(top.high).toBeCloseTo(top.base * 1.2, 12)

    // The two purchasing products' own appeal and churn drive it most; a lock-in deep in the
    // music chain barely matters.
    const rank = (parameter: string) => analysis.drivers.findIndex((d) => d.parameter === parameter)
    expect(
      analysis.drivers
        .slice(0, 4)
        .map((d) => d.parameter)
        .sort(),
    ).toEqual([
      'products.chinese-baby.appeal',
      'products.chinese-baby.churn',
      'products.global-purchases.appeal',
      'products.global-purchases.churn',
    ])
    expect(rank('links.jy-social->jy-music.lockIn')).toBeGreaterThan(20)
    const byName = (parameter: string) => analysis.drivers[rank(parameter)]!
    // More appeal raises the newcomer's share; a leakier rival raises it too.
    expect(byName('products.global-purchases.appeal').outcomeHigh).toBeGreaterThan(
      analysis.baseline,
    )
    expect(byName('products.chinese-baby.churn').outcomeHigh).toBeGreaterThan(analysis.baseline)
    expect(byName('products.chinese-baby.appeal').outcomeHigh).toBeLessThan(analysis.baseline)
  })

  it('clamps moves into the valid range', async () => {
    const model = marketModel({
      population: 1_000_000,
      markets: [{ id: 'm', name: 'M', reach: 1_000_000, p: 0.003, q: 0.08 }],
      products: [product('x', { churn: 0.01 }), product('y', { company: 'b', market: 'n' })],
      links: [],
    })
    model.markets.push({ id: 'n', name: 'N', reach: 500_000, p: 0.001, q: 0.05 })
    model.links.push({ from: 'x', to: 'y', funnel: 0.01, lockIn: 0.9 })
    const analysis = await sensitivity(model, parseOutcome('users:y'), {
      parameters: ['markets.m.reach', 'links.x->y.lockIn', 'products.x.churn'],
    })
    const byName = Object.fromEntries(analysis.drivers.map((d) => [d.parameter, d]))
    expect(byName['markets.m.reach']!.high).toBe(1_000_000)
    expect(byName['markets.m.reach']!.low).toBe(800_000)
    expect(byName['links.x->y.lockIn']!.high).toBe(1)
    expect(byName['products.x.churn']!.low).toBeCloseTo(0.008, 12)
  })

  it('rejects bad input before running anything', async () => {
    const outcome = parseOutcome('share:global-purchases')
    await expect(sensitivity(story, parseOutcome('share:nope'))).rejects.toThrow(
      '"nope" is not a product id',
    )
    await expect(sensitivity(story, outcome, { change: 1.5 })).rejects.toThrow(
      'options.change must be in (0, 1), got 1.5',
    )
    await expect(
      sensitivity(story, outcome, { parameters: ['markets.purchasing.p', 'markets.purchasing.p'] }),
    ).rejects.toThrow('parameter "markets.purchasing.p" is listed twice')
    await expect(sensitivity(story, outcome, { parameters: ['markets.x.p'] })).rejects.toThrow(
      'parameter "markets.x.p": "x" is not a market id',
    )
  })

  it('cancels through its signal between runs', async () => {
    const controller = new AbortController()
    let calls = 0
    const running = sensitivity(story, parseOutcome('company-users:ali'), {
      signal: controller.signal,
      onProgress: () => {
        calls++
        if (calls === 3) controller.abort(new Error('cancelled by the test'))
      },
    })
    await expect(running).rejects.toThrow('cancelled by the test')
    expect(calls).toBe(3)
  })
})
