import { describe, expect, it } from 'vitest'
import { expandMixedRadix } from './expandMixedRadix.js'

describe('expandMixedRadix', () => {
  it('matches decoding every index, coordinate 0 most significant', () => {
    const sizes = [3, 2, 4]
    const table = expandMixedRadix(sizes, (c, d) => (c + 1) * 10 * d + c)
    expect(table.length).toBe(24)
    for (let index = 0; index < 24; index++) {
      const digits = [Math.floor(index / 8), Math.floor(index / 4) % 2, index % 4]
      const want = digits.reduce((sum, d, c) => sum + (c + 1) * 10 * d + c, 0)
      expect(table[index]).toBe(want)
    }
  })
})
