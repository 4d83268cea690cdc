import { parseModel, parseOutcome } from '@chainmap/sim'
import story from '@chainmap/sim/scenarios/ecosystem-vs-giant.json' with { type: 'json' }
import { describe, expect, it } from 'vitest'
import { outcomeChoices, parameterChoices } from './outcomeChoices'

describe('outcome and parameter choices', () => {
  const model = parseModel(story)

  it("list companies' market shares first, each value the sim's text form of the outcome", () => {
    const choices = outcomeChoices(model)
    expect(choices[0]?.value).toBe('company-share:jiangyan/social')
    expect(choices.map((c) => c.value)).toContain('company-share:ali/purchasing')
    for (const choice of choices) expect(parseOutcome(choice.value)).toEqual(choice.outcome)
    expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length)
    const ali = choices.find((c) => c.value === 'company-share:ali/purchasing')
    expect(ali?.label).toBe('Ali — share of Cross-border purchasing')
    expect(ali?.format).toBe('share')
  })

  it('list every link, product, market and weight parameter once, then links not drawn yet', () => {
    const values = parameterChoices(model).map((c) => c.value)
    expect(values).toContain('links.jy-pay->global-purchases.funnel')
    expect(values).toContain('products.chinese-baby.churn')
    expect(values).toContain('markets.purchasing.q')
    expect(values).toContain('settings.ecosystemPull')
    expect(new Set(values).size).toBe(values.length)
    const drawn = model.links.length * 2 + model.products.length * 4 + model.markets.length * 3 + 2
    // The giant's shopping → purchasing funnel of the goal-seek question, not drawn yet.
    expect(values.indexOf('links.ali-shopping->chinese-baby.funnel')).toBeGreaterThanOrEqual(drawn)
    expect(values).not.toContain('links.ali-shopping->global-purchases.funnel')
  })
})
