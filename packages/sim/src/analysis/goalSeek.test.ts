import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bassStep } from '../bass.js'
import { simulate } from '../simulate.js'
import { marketModel, product } from '../testing/fixtures.js'
import { AnalysisError } from './AnalysisError.js'
import { goalSeek } from './goalSeek.js'
import { parseOutcome, readOutcome } from './outcome.js'
import { applyScenario } from './scenario.js'

const story = JSON.parse(
  readFileSync(new URL('../../scenarios/ecosystem-vs-giant.json', import.meta.url), 'utf8'),
)

function outcomeWith(parameter: string, value: number, outcome: string): number {
  const model = applyScenario(story, { name: 'probe', overrides: { [parameter]: value } })
  return readOutcome(model, simulate(model), parseOutcome(outcome))
}

describe('goalSeek', () => {
  it('finds the funnel from the giant’s shopping into its purchasing service that holds 40 %', () => {
    const parameter = 'links.ali-shopping->chinese-baby.funnel'
    const outcome = 'company-share:ali/purchasing'
    expect(outcomeWith(parameter, 0, outcome)).toBeLessThan(0.3)
    const found = goalSeek(story, { parameter, outcome: parseOutcome(outcome), target: 0.4 })
    expect(found.parameter).toBe(parameter)
    expect(found.outcomeValue).toBeGreaterThanOrEqual(0.4)
    expect(found.outcomeValue).toBeLessThan(0.4001)
    // Smallest: a hair below it the giant falls short.
    expect(outcomeWith(parameter, found.value * (1 - 1e-4), outcome)).toBeLessThan(0.4)
    expect(found.value).toBeGreaterThan(0.001)
    expect(found.value).toBeLessThan(0.05)
    // The answer is a scenario that reproduces it.
    expect(found.scenario.overrides).toEqual({ [parameter]: found.value })
    const model = applyScenario(story, found.scenario)
    expect(readOutcome(model, simulate(model), parseOutcome(outcome))).toBe(found.outcomeValue)
    expect(found.evaluations).toBeLessThan(60)
  })

  it('seeks downwards with atMost', () => {
    const parameter = 'products.chinese-baby.churn'
    const found = goalSeek(story, {
      parameter,
      outcome: parseOutcome('share:chinese-baby'),
      target: 0.2,
      direction: 'atMost',
      max: 0.2,
    })
    expect(found.outcomeValue).toBeLessThanOrEqual(0.2)
    expect(outcomeWith(parameter, found.value * (1 - 1e-4), 'share:chinese-baby')).toBeGreaterThan(
      0.2,
    )
  })

  it('returns the lower end when it already reaches the target', () => {
    const found = goalSeek(story, {
      parameter: 'links.jy-pay->global-purchases.funnel',
      outcome: parseOutcome('share:global-purchases'),
      target: 0.5,
    })
    expect(found.value).toBe(0)
    expect(found.evaluations).toBe(1)
  })

  it('says clearly when the target is out of reach in the range', () => {
    let error: unknown
    try {
      goalSeek(story, {
        parameter: 'links.ali-shopping->chinese-baby.funnel',
        outcome: parseOutcome('company-share:ali/purchasing'),
        target: 0.4,
        max: 0.001,
      })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(AnalysisError)
    expect((error as AnalysisError).code).toBe('UNREACHABLE_TARGET')
    expect((error as AnalysisError).message).toMatch(
      /^company-share:ali\/purchasing does not reach >= 0\.4 for links\.ali-shopping->chinese-baby\.funnel in \[0, 0\.001\]: it is 0\.26\d+ at 0 and 0\.\d+ at 0\.001$/,
    )
    expect(() =>
      goalSeek(story, {
        parameter: 'links.jy-pay->global-purchases.lockIn',
        outcome: parseOutcome('share:global-purchases'),
        target: 0.99,
      }),
    ).toThrow(/does not reach >= 0\.99 .* in \[0, 1\]/)
  })

  it('rejects bad ranges and parameters', () => {
    const outcome = parseOutcome('share:global-purchases')
    expect(() =>
      goalSeek(story, { parameter: 'markets.purchasing.p', outcome, target: 0.9, min: -1 }),
    ).toThrow('min -1 is outside the valid range of markets.purchasing.p')
    expect(() => goalSeek(story, { parameter: 'links.x->y.funnel', outcome, target: 0.9 })).toThrow(
      'parameter "links.x->y.funnel"',
    )
    expect(() =>
      goalSeek(story, { parameter: 'markets.purchasing.p', outcome, target: Number.NaN }),
    ).toThrow('target must be a finite number')
  })
})

describe('goalSeek against the closed-form recursion', () => {
  it('finds the imitation q that reaches a user count on day 30 of a single Bass market', () => {
    const model = marketModel({
      horizonDays: 30,
      companies: [{ id: 'a', name: 'A' }],
      markets: [{ id: 'm', name: 'M', reach: 600_000, p: 0.003, q: 0.01 }],
      products: [product('x', { name: 'X' })],
    })
    const usersAt30 = (q: number) => {
      let users = 0
      for (let day = 0; day < 30; day++) users = bassStep(users, 600_000, 0.003, q, 1)
      return users
    }
    // Independent answer: bisection on the recursion N(t+1) = N(t) + (1 − e^(−(p + qN/m)))(m − N).
    let lo = 0
    let hi = 10
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2
      if (usersAt30(mid) >= 200_000) hi = mid
      else lo = mid
    }
    const found = goalSeek(model, {
      parameter: 'markets.m.q',
      outcome: parseOutcome('users:x@30'),
      target: 200_000,
      tolerance: 1e-9,
    })
    expect(found.value).toBeCloseTo(hi, 8)
    expect(found.outcomeValue).toBeGreaterThanOrEqual(200_000)
  })
})
