import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { simulate } from '../simulate.js'

function load(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'))
}

function firstDayAbove(a: Float64Array, b: Float64Array): number {
  for (let k = 0; k < a.length; k++) if (a[k]! > b[k]! && a[k]! > 0) return k
  return -1
}

describe('the shipped story scenarios (expected engine)', { timeout: 60_000 }, () => {
  const story = simulate(load('ecosystem-vs-giant'))
  const chain = simulate(load('giant-builds-a-chain'))

  it('launches the giant first', () => {
    const baby = story.products['chinese-baby']!.users
    const global = story.products['global-purchases']!.users
    expect(baby[60]).toBeGreaterThan(0)
    expect(global[94]).toBe(0)
    expect(baby[94]).toBeGreaterThan(10e6)
  })

  it('has the newcomer overtake within a month of its launch and keep most of the market', () => {
    const baby = story.products['chinese-baby']!.users
    const global = story.products['global-purchases']!
    const overtakes = firstDayAbove(global.users, baby)
    expect(overtakes).toBeGreaterThan(95)
    expect(overtakes - 95).toBeLessThan(30)
    for (let day = overtakes; day <= 365; day++) {
      expect(global.users[day]).toBeGreaterThan(baby[day]!)
    }
    expect(global.share[365]).toBeGreaterThan(0.6)
  })

  it('changes the outcome substantially when the giant builds a chain', () => {
    const global = chain.products['global-purchases']!
    expect(firstDayAbove(global.users, chain.products['chinese-baby']!.users)).toBe(-1)
    expect(story.products['global-purchases']!.share[365]! - global.share[365]!).toBeGreaterThan(
      0.2,
    )
  })

  it('starts the two companies at a similar size', () => {
    const jiangyan = story.companies.jiangyan!.users[0]!
    const ali = story.companies.ali!.users[0]!
    expect(jiangyan / ali).toBeGreaterThan(0.8)
    expect(jiangyan / ali).toBeLessThan(1.25)
  })
})
