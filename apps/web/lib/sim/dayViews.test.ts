import { readFileSync } from 'node:fs'
import { shapeIdForModel } from '@chainmap/board'
import { linkKey, simulate } from '@chainmap/sim'
import { describe, expect, it } from 'vitest'
import type { ChainLinkShape } from '@/lib/shapes/chainShapeTypes'
import { formatCount, formatDays, formatShare } from '../format'
import {
  LINK_MAX_WIDTH,
  LINK_MIN_WIDTH,
  linkDayView,
  maxFlowByDay,
  productDayView,
} from './dayViews'

const story = JSON.parse(
  readFileSync(
    new URL(import.meta.resolve('@chainmap/sim/scenarios/ecosystem-vs-giant.json')),
    'utf8',
  ),
) as { products: Array<{ id: string }>; links: Array<{ from: string; to: string }> }

const result = simulate(story)

function linkShape(from: string, to: string): ChainLinkShape {
  return {
    props: { from: shapeIdForModel('product', from), to: shapeIdForModel('product', to) },
  } as unknown as ChainLinkShape
}

describe('productDayView', () => {
  it('formats the product numbers of the day asked for', () => {
    const id = story.products[0]!.id
    const series = result.products[id]!
    for (const at of [0, 100, result.days.length - 1]) {
      const view = productDayView(result, shapeIdForModel('product', id), at)
      expect(view).toEqual({
        users: formatCount(series.users[at]!),
        share: formatShare(series.share[at]!),
        lifetime: formatDays(series.expectedLifetime[at]!),
        usersExact: series.users[at]!.toFixed(0),
        shareExact: series.share[at]!.toFixed(6),
      })
    }
  })

  it('formats a day once per result and shape', () => {
    const shapeId = shapeIdForModel('product', story.products[1]!.id)
    expect(productDayView(result, shapeId, 42)).toBe(productDayView(result, shapeId, 42))
    expect(productDayView(simulate(story), shapeId, 42)).not.toBe(
      productDayView(result, shapeId, 42),
    )
  })

  it('is null for a shape the result does not know', () => {
    expect(productDayView(result, shapeIdForModel('product', 'nope'), 0)).toBeNull()
  })
})

describe('link day views', () => {
  it('finds the largest flow of every day', () => {
    const max = maxFlowByDay(result)
    expect(max).toHaveLength(result.days.length)
    for (const at of [0, 150, result.days.length - 1]) {
      const flows = Object.values(result.links).map((link) => link.flow[at] ?? 0)
      expect(max[at]).toBe(Math.max(0, ...flows))
    }
  })

  it('draws the day’s largest flow widest and every width within the range', () => {
    const at = result.days.length - 1
    const widths = story.links.map((l) => {
      const view = linkDayView(result, linkShape(l.from, l.to), at)
      expect(view?.flowLabel).toBe(
        ` · flow ${formatCount(result.links[linkKey(l.from, l.to)]!.flow[at]!)}/d`,
      )
      return view!.width
    })
    expect(Math.max(...widths)).toBeCloseTo(LINK_MAX_WIDTH)
    for (const width of widths) {
      expect(width).toBeGreaterThanOrEqual(LINK_MIN_WIDTH)
      expect(width).toBeLessThanOrEqual(LINK_MAX_WIDTH)
    }
  })

  it('is null for a link the result does not know', () => {
    expect(linkDayView(result, linkShape('a', 'b'), 0)).toBeNull()
  })
})
