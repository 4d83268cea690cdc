import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CompiledModel } from '../engine/CompiledModel.js'
import { parseModel } from '../model/parseModel.js'
import type { Model } from '../model/types.js'
import { simulate } from '../simulate.js'
import { planFor } from './planFor.js'

function story(): Model {
  return parseModel(
    JSON.parse(
      readFileSync(new URL('../../scenarios/ecosystem-vs-giant.json', import.meta.url), 'utf8'),
    ),
  )
}

const everything = (model: Model) => new Uint8Array(model.products.length).fill(1)

describe('plan cache', () => {
  it('shares plans between compilations of the same structure, not across structures', () => {
    const a = story()
    const b = { ...story(), markets: a.markets.map((m) => ({ ...m, p: m.p * 2, q: m.q / 2 })) }
    const c = { ...story(), links: a.links.map((l, i) => (i === 0 ? { ...l, lockIn: 0.1 } : l)) }
    const plan = planFor(new CompiledModel(a), everything(a))
    expect(planFor(new CompiledModel(b), everything(b))).toBe(plan)
    expect(planFor(new CompiledModel(c), everything(c))).not.toBe(plan)
  })

  it('gives the same numbers as plans built afresh', () => {
    // Warm the cache with the story, then simulate a structurally identical board with other
    // rates (cache hit) and the same board plus an inert link (different key: built afresh).
    const base = story()
    simulate(base)
    const changed: Model = {
      ...base,
      markets: base.markets.map((m) => ({ ...m, p: m.p * 1.5, q: m.q * 0.8 })),
      products: base.products.map((p) => ({ ...p, appeal: p.appeal * 1.2, churn: p.churn * 2 })),
    }
    const inert: Model = {
      ...changed,
      links: [...changed.links, { from: 'ali-shopping', to: 'jy-music', funnel: 0, lockIn: 0 }],
    }
    const cached = simulate(changed)
    const fresh = simulate(inert)
    for (const id of Object.keys(cached.products)) {
      expect(cached.products[id]!.users).toEqual(fresh.products[id]!.users)
      expect(cached.products[id]!.churned).toEqual(fresh.products[id]!.churned)
    }
    for (const id of Object.keys(cached.companies)) {
      expect(cached.companies[id]!.users).toEqual(fresh.companies[id]!.users)
    }
  })
})
