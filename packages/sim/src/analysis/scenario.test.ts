import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { marketModel, product } from '../testing/fixtures.js'
import { AnalysisError } from './AnalysisError.js'
import { applyScenario, parseScenarios } from './scenario.js'

const story = JSON.parse(
  readFileSync(new URL('../../scenarios/ecosystem-vs-giant.json', import.meta.url), 'utf8'),
)

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run()
  } catch (error) {
    if (error instanceof AnalysisError) return error.problems
    throw error
  }
  throw new Error('expected an AnalysisError')
}

describe('applyScenario', () => {
  it('applies overrides of every group without changing the input', () => {
    const before = JSON.stringify(story)
    const model = applyScenario(story, {
      name: 'what if',
      overrides: {
        'settings.networkEffect': 2,
        'markets.purchasing.p': 0.004,
        'products.chinese-baby.churn': 0.01,
        'links.jy-pay->global-purchases.lockIn': 0.9,
      },
    })
    expect(model.networkEffect).toBe(2)
    expect(model.markets.find((m) => m.id === 'purchasing')!.p).toBe(0.004)
    expect(model.products.find((p) => p.id === 'chinese-baby')!.churn).toBe(0.01)
    expect(model.links.find((l) => l.to === 'global-purchases')!.lockIn).toBe(0.9)
    expect(JSON.stringify(story)).toBe(before)
  })

  it('adds a link the board does not have yet, with lock-in 0 unless overridden', () => {
    const model = applyScenario(story, {
      name: 'giant links shopping',
      overrides: { 'links.ali-shopping->chinese-baby.funnel': 0.05 },
    })
    expect(model.links).toHaveLength(story.links.length + 1)
    expect(model.links.at(-1)).toEqual({
      from: 'ali-shopping',
      to: 'chinese-baby',
      funnel: 0.05,
      lockIn: 0,
    })
  })

  it('names the scenario and the override for unknown ids and fields', () => {
    const problems = problemsOf(() =>
      applyScenario(story, {
        name: 'typos',
        overrides: {
          'products.nope.churn': 0.1,
          'markets.purchasing.size': 3,
          'links.jy-pay->nope.funnel': 1,
          whatever: 1,
        },
      }),
    )
    expect(problems).toEqual([
      'scenario "typos": override parameter "products.nope.churn": "nope" is not a product id',
      'scenario "typos": override parameter "markets.purchasing.size": markets have no parameter "size" (use reach, p, q)',
      'scenario "typos": override parameter "links.jy-pay->nope.funnel": "jy-pay->nope" does not name two product ids as <from>-><to>',
      expect.stringContaining('scenario "typos": override parameter "whatever": must look like'),
    ])
  })

  it('maps model rule violations back to the override that caused them', () => {
    const problems = problemsOf(() =>
      applyScenario(story, {
        name: 'broken',
        overrides: {
          'markets.purchasing.p': -1,
          'links.jy-pay->global-purchases.lockIn': 1.5,
          'links.ali-shopping->ali-messenger.funnel': Number.NaN,
        },
      }),
    )
    expect(problems).toContain(
      'scenario "broken": override "links.ali-shopping->ali-messenger.funnel" must be a finite number, got NaN',
    )
    expect(problems).toHaveLength(1)
    const ruleProblems = problemsOf(() =>
      applyScenario(story, {
        name: 'broken',
        overrides: { 'markets.purchasing.p': -1, 'links.jy-pay->global-purchases.lockIn': 1.5 },
      }),
    )
    expect(ruleProblems).toEqual([
      'scenario "broken": override "markets.purchasing.p" = -1: markets[6].p must be >= 0',
      'scenario "broken": override "links.jy-pay->global-purchases.lockIn" = 1.5: links[3].lockIn must be <= 1',
    ])
  })

  it('names cross-field problems that follow from an override', () => {
    const model = marketModel({ products: [product('x', { initialUsers: 1000 })] })
    const problems = problemsOf(() =>
      applyScenario(model, { name: 'small', overrides: { 'markets.m.reach': 10 } }),
    )
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(
      /^scenario "small": with its overrides, products\[0\]\.initialUsers/,
    )
  })
})

describe('parseScenarios', () => {
  it('takes an array or { scenarios }', () => {
    const list = [{ name: 'a', overrides: { 'settings.networkEffect': 1 } }]
    expect(parseScenarios(list)).toEqual(list)
    expect(parseScenarios({ scenarios: list })).toEqual(list)
  })

  it('names every bad field', () => {
    const problems = problemsOf(() =>
      parseScenarios([{ name: '', overrides: { x: 'high' } }, { overrides: {} }]),
    )
    expect(problems).toEqual([
      'scenarios[0].name must not be empty',
      'scenarios[0].overrides.x must be a number (got string)',
      'scenarios[1].name must be a string (got missing)',
    ])
  })
})
