import type { SensitivityResult } from '@chainmap/sim'
import { describe, expect, it } from 'vitest'
import { tornadoBars } from './tornadoBars'

function driver(parameter: string, outcomeLow: number, outcomeHigh: number) {
  return {
    parameter,
    base: 1,
    low: 0.8,
    high: 1.2,
    outcomeLow,
    outcomeHigh,
    swing: Math.abs(outcomeHigh - outcomeLow),
  }
}

describe('tornadoBars', () => {
  it('keeps the ten strongest drivers that move the outcome, on an axis spanning them all', () => {
    const drivers = Array.from({ length: 14 }, (_, i) =>
      driver(`p${i}`, 0.5 - (14 - i) * 0.01, 0.51),
    )
    drivers.push(driver('still', 0.5, 0.5), driver('endless', 0.4, Number.POSITIVE_INFINITY))
    drivers.sort((a, b) => b.swing - a.swing)
    const result: SensitivityResult = {
      outcome: { kind: 'share', product: 'x' },
      baseline: 0.5,
      change: 0.2,
      drivers,
      skipped: [],
      runs: 1 + 2 * drivers.length,
    }
    const tornado = tornadoBars(result)
    expect(tornado.bars.map((b) => b.parameter)).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
      'p7',
      'p8',
      'p9',
    ])
    expect(tornado.min).toBeCloseTo(0.36)
    expect(tornado.max).toBeCloseTo(0.51)
    expect(tornado.baseline).toBe(0.5)
  })

  it('gives a flat analysis an axis around the baseline', () => {
    const result: SensitivityResult = {
      outcome: { kind: 'share', product: 'x' },
      baseline: 0.3,
      change: 0.2,
      drivers: [driver('still', 0.3, 0.3)],
      skipped: [],
      runs: 3,
    }
    expect(tornadoBars(result)).toEqual({ bars: [], baseline: 0.3, min: -0.7, max: 1.3 })
  })
})
