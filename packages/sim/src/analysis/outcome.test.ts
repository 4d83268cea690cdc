import { describe, expect, it } from 'vitest'
import { simulate } from '../simulate.js'
import { marketModel, product } from '../testing/fixtures.js'
import { AnalysisError } from './AnalysisError.js'
import { checkOutcome, entryAt, formatOutcome, parseOutcome, readOutcome } from './outcome.js'

describe('outcome text', () => {
  it('parses every kind and formats it back', () => {
    const texts = [
      'users:x',
      'share:x@200',
      'lifetime:x@0.5',
      'market-users:m',
      'company-users:a',
      'company-depth:a@10',
      'company-share:a/m@30',
    ]
    for (const text of texts) expect(formatOutcome(parseOutcome(text))).toBe(text)
    expect(parseOutcome('company-share:a/b/m')).toEqual({
      kind: 'companyShare',
      company: 'a/b',
      market: 'm',
    })
  })

  it('rejects bad text with the rule', () => {
    expect(() => parseOutcome('share')).toThrow('outcome "share": must look like <kind>:<id>')
    expect(() => parseOutcome('size:x')).toThrow('unknown kind "size"')
    expect(() => parseOutcome('share:x@soon')).toThrow('day "soon" must be a number >= 0')
    expect(() => parseOutcome('company-share:a')).toThrow('company-share needs <company>/<market>')
    expect(() => parseOutcome('users:')).toThrow(AnalysisError)
  })
})

describe('reading outcomes', () => {
  const model = marketModel({
    horizonDays: 20,
    products: [product('x'), product('y', { company: 'b', appeal: 3 })],
  })
  const result = simulate(model)

  it('checks ids and days against the model', () => {
    expect(() => checkOutcome(model, parseOutcome('share:z'))).toThrow('"z" is not a product id')
    expect(() => checkOutcome(model, parseOutcome('company-share:a/q'))).toThrow(
      '"q" is not a market id',
    )
    expect(() => checkOutcome(model, parseOutcome('company-users:c'))).toThrow(
      '"c" is not a company id',
    )
    expect(() => checkOutcome(model, parseOutcome('share:x@21'))).toThrow(
      'day 21 is outside [0, 20]',
    )
    expect(() => checkOutcome(model, parseOutcome('share:x@20'))).not.toThrow()
  })

  it('reads the horizon by default and a given day otherwise', () => {
    expect(entryAt(result.days, undefined)).toBe(20)
    expect(entryAt(result.days, 7.5)).toBe(8)
    expect(readOutcome(model, result, parseOutcome('users:x'))).toBe(result.products.x!.users[20])
    expect(readOutcome(model, result, parseOutcome('share:y@10'))).toBe(
      result.products.y!.share[10],
    )
    expect(readOutcome(model, result, parseOutcome('market-users:m@5'))).toBe(
      result.markets.m!.users[5],
    )
    // Company b holds only y in market m, so its share of m is y's share.
    expect(readOutcome(model, result, parseOutcome('company-share:b/m'))).toBeCloseTo(
      result.products.y!.share[20]!,
      12,
    )
    expect(readOutcome(model, result, parseOutcome('company-share:b/m@0'))).toBe(0)
  })
})
