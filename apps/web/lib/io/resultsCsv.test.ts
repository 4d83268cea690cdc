import { readFileSync } from 'node:fs'
import { simulate } from '@chainmap/sim'
import { describe, expect, it } from 'vitest'
import { resultsCsv } from './resultsCsv'

const story = JSON.parse(
  readFileSync(
    new URL(import.meta.resolve('@chainmap/sim/scenarios/ecosystem-vs-giant.json')),
    'utf8',
  ),
) as {
  products: Array<{ id: string; name: string }>
  companies: Array<{ id: string; name: string }>
}

describe('resultsCsv', () => {
  it('has one row per day and the simulated numbers in named columns', () => {
    const result = simulate(story)
    const names = {
      products: Object.fromEntries(story.products.map((p) => [p.id, p.name])),
      companies: Object.fromEntries(story.companies.map((c) => [c.id, c.name])),
    }
    const lines = resultsCsv(result, names).trimEnd().split('\n')
    expect(lines).toHaveLength(result.days.length + 1)
    const header = lines[0]!.split(',')
    const column = header.indexOf('Global Purchases share')
    expect(column).toBeGreaterThan(0)
    const last = lines.at(-1)!.split(',')
    expect(Number(last[column])).toBeCloseTo(result.products['global-purchases']!.share.at(-1)!, 12)
  })
})
