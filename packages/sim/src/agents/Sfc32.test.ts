import { describe, expect, it } from 'vitest'
import { Sfc32 } from './Sfc32.js'

describe('Sfc32', () => {
  it('is reproducible for a seed and differs across seeds and streams', () => {
    const draw = (rng: Sfc32) => Array.from({ length: 5 }, () => rng.nextUint32())
    expect(draw(new Sfc32(42))).toEqual(draw(new Sfc32(42)))
    expect(draw(new Sfc32(42))).not.toEqual(draw(new Sfc32(43)))
    expect(draw(new Sfc32(42, 1))).not.toEqual(draw(new Sfc32(42, 2)))
  })

  it('is roughly uniform on [0, 1)', () => {
    const rng = new Sfc32(7)
    const bins = new Array(10).fill(0)
    const n = 100_000
    let low = 1
    let high = 0
    for (let i = 0; i < n; i++) {
      const u = rng.next()
      low = Math.min(low, u)
      high = Math.max(high, u)
      bins[Math.floor(u * 10)]++
    }
    expect(low).toBeGreaterThanOrEqual(0)
    expect(high).toBeLessThan(1)
    for (const count of bins) expect(Math.abs(count - n / 10)).toBeLessThan(5 * Math.sqrt(n / 10))
    expect(rng.nextOpen()).toBeGreaterThan(0)
  })
})
