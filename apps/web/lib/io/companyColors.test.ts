import { parseModel } from '@chainmap/sim'
import { describe, expect, it } from 'vitest'
import { COMPANY_COLORS } from '../shapes/chainShapeTypes'
import { withCompanyColors } from './companyColors'

const model = parseModel({
  version: 1,
  population: 1000,
  horizonDays: 10,
  stepDays: 1,
  seed: 1,
  networkEffect: 1,
  ecosystemPull: 0.5,
  companies: [
    { id: 'a', name: 'A' },
    { id: 'b', name: 'B', color: '#123456' },
    { id: 'c', name: 'C' },
  ],
  markets: [{ id: 'm', name: 'M', reach: 100, p: 0.01, q: 0.1 }],
  products: [],
  links: [],
})

describe('withCompanyColors', () => {
  it('gives companies without a colour the palette in turn and keeps the colours set', () => {
    expect(withCompanyColors(model).companies.map((c) => c.color)).toEqual([
      COMPANY_COLORS[0],
      '#123456',
      COMPANY_COLORS[1],
    ])
  })

  it('leaves the model it was given alone', () => {
    withCompanyColors(model)
    expect(model.companies[0]?.color).toBeUndefined()
  })
})
