import { readFileSync } from 'node:fs'
import { parseModel } from '@chainmap/sim'
import { describe, expect, it } from 'vitest'
import { layoutModel } from './layoutModel'

const story = parseModel(
  JSON.parse(
    readFileSync(
      new URL(import.meta.resolve('@chainmap/sim/scenarios/ecosystem-vs-giant.json')),
      'utf8',
    ),
  ),
)

describe('layoutModel', () => {
  it('puts every product inside its market lane, without overlaps', async () => {
    const layout = await layoutModel(story)
    for (const product of story.products) {
      const box = layout.products[product.id]!
      const lane = layout.markets[product.market]!
      expect(box.x).toBeGreaterThanOrEqual(lane.x)
      expect(box.x + box.w!).toBeLessThanOrEqual(lane.x + lane.w!)
      expect(box.y).toBeGreaterThanOrEqual(lane.y)
      expect(box.y + box.h!).toBeLessThanOrEqual(lane.y + lane.h!)
    }
    const boxes = Object.values(layout.products)
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart =
          a.x + a.w! <= b.x || b.x + b.w! <= a.x || a.y + a.h! <= b.y || b.y + b.h! <= a.y
        expect(apart).toBe(true)
      }
    }
  })

  it('places a linked product to the right of the product feeding it', async () => {
    const layout = await layoutModel(story)
    for (const link of story.links) {
      expect(layout.products[link.to]!.x).toBeGreaterThan(layout.products[link.from]!.x)
    }
  })
})
