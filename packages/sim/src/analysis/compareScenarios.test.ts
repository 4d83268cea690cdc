import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { simulate } from '../simulate.js'
import { marketModel, product } from '../testing/fixtures.js'
import { compareScenarios, comparisonRows } from './compareScenarios.js'

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'))
const story = load('ecosystem-vs-giant')

describe('compareScenarios', () => {
  it('runs the story as drawn and the giant building a chain, side by side', () => {
    const progress: number[] = []
    const comparison = compareScenarios(
      story,
      [
        { name: 'as drawn', overrides: {} },
        {
          name: 'giant builds a chain',
          overrides: {
            'links.ali-shopping->chinese-baby.funnel': 0.05,
            'links.ali-shopping->chinese-baby.lockIn': 0.7,
            'links.ali-messenger->chinese-baby.funnel': 0.02,
            'links.ali-messenger->chinese-baby.lockIn': 0.5,
          },
        },
      ],
      { onProgress: (fraction) => progress.push(fraction) },
    )
    const [drawn, chain] = comparison.scenarios
    // The overrides reproduce the shipped giant-builds-a-chain board exactly.
    const shipped = simulate(load('giant-builds-a-chain'))
    expect(Array.from(chain!.result.products['chinese-baby']!.users)).toEqual(
      Array.from(shipped.products['chinese-baby']!.users),
    )
    expect(drawn!.outcomes.day).toBe(365)
    expect(drawn!.outcomes.products['global-purchases']!.share).toBeCloseTo(0.74, 2)
    expect(chain!.outcomes.products['global-purchases']!.share).toBeCloseTo(0.4, 1)
    expect(chain!.outcomes.companies.ali!.depth).toBeGreaterThan(
      drawn!.outcomes.companies.ali!.depth,
    )
    expect(progress.at(-1)).toBe(1)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))

    const rows = comparisonRows(comparison)
    const share = rows.find((row) => row.id === 'global-purchases' && row.measure === 'share')!
    expect(share.values).toEqual([
      drawn!.outcomes.products['global-purchases']!.share,
      chain!.outcomes.products['global-purchases']!.share,
    ])
    expect(rows.filter((row) => row.kind === 'company').map((row) => row.measure)).toEqual([
      'users',
      'depth',
      'users',
      'depth',
    ])
    const lifetime = rows.find(
      (row) => row.id === 'chinese-baby' && row.measure === 'expectedLifetime',
    )!
    // Lock-in on the new links makes chinese-baby's holders stay longer.
    expect(lifetime.values[1]!).toBeGreaterThan(lifetime.values[0]!)
  })

  it('reads the table at a chosen day', () => {
    const comparison = compareScenarios(story, [{ name: 'a', overrides: {} }], { day: 100 })
    const result = comparison.scenarios[0]!.result
    expect(comparison.scenarios[0]!.outcomes.day).toBe(100)
    expect(comparison.scenarios[0]!.outcomes.markets.purchasing!.users).toBe(
      result.markets.purchasing!.users[100],
    )
  })

  it('refuses more than four scenarios, duplicate names and bad overrides before running', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, overrides: {} }))
    expect(() => compareScenarios(story, five)).toThrow('compare takes 1 to 4 scenarios, got 5')
    expect(() => compareScenarios(story, [])).toThrow('got 0')
    expect(() =>
      compareScenarios(story, [
        { name: 'a', overrides: {} },
        { name: 'a', overrides: {} },
      ]),
    ).toThrow('scenario name "a" is used twice')
    expect(() =>
      compareScenarios(story, [
        { name: 'a', overrides: {} },
        { name: 'b', overrides: { 'settings.ecosystemPull': 99 } },
      ]),
    ).toThrow('scenario "b": override "settings.ecosystemPull" = 99: ecosystemPull must be <= 50')
  })

  it('passes the engine options to every scenario: agent bands with a median, same seed, same bytes', () => {
    const model = marketModel({
      horizonDays: 30,
      products: [product('x'), product('y', { company: 'b' })],
    })
    const run = () =>
      compareScenarios(
        model,
        [
          { name: 'as drawn', overrides: {} },
          { name: 'x twice as appealing', overrides: { 'products.x.appeal': 2 } },
        ],
        { engine: 'agents', agents: 5000, runs: 5, seed: 3 },
      )
    const first = run()
    const second = run()
    const x = first.scenarios[1]!.result.products.x!
    expect(first.scenarios[1]!.result.runs).toBe(5)
    for (let k = 0; k < x.users.length; k++) {
      expect(x.p10!.users[k]!).toBeLessThanOrEqual(x.p50!.users[k]!)
      expect(x.p50!.users[k]!).toBeLessThanOrEqual(x.p90!.users[k]!)
    }
    expect(Array.from(x.users)).toEqual(Array.from(second.scenarios[1]!.result.products.x!.users))
    expect(first.scenarios[1]!.outcomes.products.x!.share).toBeGreaterThan(
      first.scenarios[0]!.outcomes.products.x!.share,
    )
  })
})
