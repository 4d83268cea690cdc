import { describe, expect, it } from 'vitest'
import { compareRounds, describePaired, pairedVerdict, signTestPValue } from './pairedRounds.js'

describe('signTestPValue', () => {
  it('is the two-sided binomial tail: 2 · P(X ≤ min) for X ~ Bin(n, ½)', () => {
    // 8 of 8 one way: 2 · (1/256).
    expect(signTestPValue(8, 0)).toBeCloseTo(2 / 256, 10)
    expect(signTestPValue(0, 8)).toBeCloseTo(2 / 256, 10)
    // 7 of 8: 2 · (1 + 8) / 256.
    expect(signTestPValue(7, 1)).toBeCloseTo(18 / 256, 10)
    // 5 of 6: 2 · (1 + 6) / 64.
    expect(signTestPValue(1, 5)).toBeCloseTo(14 / 64, 10)
  })

  it('is 1 for an even split and for no rounds that differ', () => {
    expect(signTestPValue(4, 4)).toBe(1)
    expect(signTestPValue(3, 4)).toBe(1)
    expect(signTestPValue(0, 0)).toBe(1)
  })
})

describe('compareRounds', () => {
  it('pairs the rounds by index, counting each way and the median difference', () => {
    const paired = compareRounds([1.0, 2.0, 3.0, 4.0], [1.5, 1.0, 3.0, 4.5])
    expect(paired).toMatchObject({ ahead: 2, behind: 1, level: 1 })
    // Differences -0.5, +1, 0, -0.5: median of the sorted -0.5, -0.5, 0, 1.
    expect(paired.medianDifferenceMs).toBeCloseTo(-0.25)
    expect(paired.pValue).toBe(1)
  })

  it('finds a server faster in every one of 8 rounds ahead, and a mixed record inconclusive', () => {
    const fast = compareRounds([1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2, 2, 2])
    expect(pairedVerdict(fast)).toBe('ahead')
    const slow = compareRounds([2, 2, 2, 2, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1, 1, 1])
    expect(pairedVerdict(slow)).toBe('behind')
    const mixed = compareRounds([1, 2, 1, 2, 1, 2, 1, 2], [2, 1, 2, 1, 2, 1, 2, 2.5])
    expect(pairedVerdict(mixed)).toBe('no consistent difference')
  })

  it('refuses rounds that do not pair up', () => {
    expect(() => compareRounds([1, 2], [1])).toThrow(/same number of rounds.*2 and 1/)
    expect(() => compareRounds([], [])).toThrow(RangeError)
  })
})

describe('describePaired', () => {
  it('names the counts, the signed median difference, p and the verdict', () => {
    const line = describePaired('p99', compareRounds([3, 3, 3, 3, 3, 3], [2, 2, 2, 2, 2, 3]))
    expect(line).toBe(
      'p99 ahead in 0, behind in 5, level in 1 of 6 rounds (median difference +1.00 ms, sign test p = 0.063: no consistent difference)',
    )
  })
})
