import { describe, expect, it } from 'vitest'
import { combineHistograms, histogramQuantile } from './histogram.js'

const cumulative = (entries: [number, number][]) => new Map(entries)

describe('histogramQuantile', () => {
  it('interpolates inside the bucket the rank falls in, as Prometheus does', () => {
    // 10 observations ≤ 1, 30 in (1, 2], none above.
    const h = cumulative([
      [1, 10],
      [2, 40],
      [Number.POSITIVE_INFINITY, 40],
    ])
    expect(histogramQuantile(h, 0.25)).toBeCloseTo(1) // rank 10: the top of the first bucket
    expect(histogramQuantile(h, 0.5)).toBeCloseTo(1 + 10 / 30) // rank 20: a third into (1, 2]
    expect(histogramQuantile(h, 1)).toBeCloseTo(2)
  })

  it('is NaN when empty and the highest finite bound when the rank lies in +Inf', () => {
    expect(histogramQuantile(cumulative([[Number.POSITIVE_INFINITY, 0]]), 0.5)).toBeNaN()
    const h = cumulative([
      [1, 1],
      [Number.POSITIVE_INFINITY, 10],
    ])
    expect(histogramQuantile(h, 0.99)).toBe(1)
  })

  it('measures a window as the difference of two scrapes, and pools windows by adding them', () => {
    const before = cumulative([
      [1, 5],
      [Number.POSITIVE_INFINITY, 5],
    ])
    const after = cumulative([
      [1, 5],
      [Number.POSITIVE_INFINITY, 15],
    ])
    const window = combineHistograms(after, before, -1)
    expect(window.get(Number.POSITIVE_INFINITY)).toBe(10)
    expect(window.get(1)).toBe(0)
    expect(combineHistograms(window, window).get(Number.POSITIVE_INFINITY)).toBe(20)
  })
})
