import { describe, expect, it } from 'vitest'
import { bassStep } from './bass.js'

describe('bassStep', () => {
  it('follows the discrete Bass recurrence', () => {
    const next = bassStep(100, 1000, 0.01, 0.3, 1)
    const expected = 100 + (1 - Math.exp(-(0.01 + 0.3 * 0.1))) * 900
    expect(next).toBeCloseTo(expected, 12)
  })

  it('never exceeds the reach', () => {
    let users = 0
    for (let day = 0; day < 1000; day++) users = bassStep(users, 500, 0.2, 2, 1)
    expect(users).toBeLessThanOrEqual(500)
    expect(users).toBeGreaterThan(499.999)
  })
})
