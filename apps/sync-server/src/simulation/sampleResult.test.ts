import { describe, expect, it } from 'vitest'
import { sampledIndices } from './sampleResult.js'

const days = Float64Array.from({ length: 11 }, (_, day) => day)

describe('sampledIndices', () => {
  it('keeps every day by default', () => {
    expect(sampledIndices(days, { every: 1 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('keeps one day in `every` and always the last one kept', () => {
    expect(sampledIndices(days, { every: 4 })).toEqual([0, 4, 8, 10])
    expect(sampledIndices(days, { every: 5 })).toEqual([0, 5, 10])
  })

  it('stops at `until`, then strides', () => {
    expect(sampledIndices(days, { every: 1, until: 3 })).toEqual([0, 1, 2, 3])
    expect(sampledIndices(days, { every: 2, until: 5 })).toEqual([0, 2, 4, 5])
    expect(sampledIndices(Float64Array.from([0, 7, 14]), { every: 1, until: 10 })).toEqual([0, 1])
  })
})
