import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CompiledModel } from '../engine/CompiledModel.js'
import type { Trace } from '../engine/Trace.js'
import { parseModel } from '../model/parseModel.js'
import type { Model } from '../model/types.js'
import { propertySeed } from '../testing/arbitraryModel.js'
import { marketModel, product } from '../testing/fixtures.js'
import { runExpected, runExpectedGeneral } from './runExpected.js'
import { isSingleProductBoard, runSingleProduct } from './runSingleProduct.js'

console.log(`single-product fast path: fast-check seed ${propertySeed} (CHAINMAP_TEST_SEED)`)

const SERIES = [
  'productUsers',
  'adoptedOrganic',
  'adoptedFunnel',
  'churned',
  'churnHazard',
  'marketUsers',
  'companyUsers',
  'companyDepth',
  'linkFlow',
] as const

/** Every series of `fast` within 1e-12 relative of `general`, entry by entry. */
function expectSameTrace(fast: Trace, general: Trace): void {
  expect(fast.entries).toBe(general.entries)
  for (const name of SERIES) {
    const a = fast[name]
    const b = general[name]
    expect(a.length, name).toBe(b.length)
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!
      const y = b[i]!
      expect(Number.isFinite(x), `${name}[${i}]`).toBe(true)
      expect(Math.abs(x - y), `${name}[${i}]: ${x} vs ${y}`).toBeLessThanOrEqual(
        1e-12 * Math.max(Math.abs(x), Math.abs(y)),
      )
    }
  }
}

/**
 * Random boards of one product and no links: a second, empty market and a second company some
 * of the time, reach below the population, launch days > 0, initial users, churn, network
 * effect, and steps of a day, less than a day or more.
 */
function singleProductModel(): fc.Arbitrary<Model> {
  const population = 1_000_000
  return fc
    .record({
      reach: fc.integer({ min: 0, max: population }),
      p: fc.double({ min: 0, max: 0.05, noNaN: true }),
      q: fc.double({ min: 0, max: 0.8, noNaN: true }),
      appeal: fc.double({ min: 0.1, max: 5, noNaN: true }),
      launchDay: fc.double({ min: 0, max: 60, noNaN: true }),
      initialFraction: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
      churn: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
      networkEffect: fc.oneof(fc.constant(0), fc.double({ min: -3, max: 3, noNaN: true })),
      horizonDays: fc.double({ min: 0.5, max: 120, noNaN: true }),
      stepDays: fc.constantFrom(0.05, 0.25, 0.5, 1, 1.5, 3),
      emptyMarketFirst: fc.boolean(),
      secondCompanyOwns: fc.boolean(),
    })
    .map((raw): Model => {
      const lone = { id: 'm', name: 'M', reach: raw.reach, p: raw.p, q: raw.q }
      const empty = { id: 'e', name: 'E', reach: population, p: 0.01, q: 0.1 }
      return marketModel({
        population,
        horizonDays: raw.horizonDays,
        stepDays: raw.stepDays,
        networkEffect: raw.networkEffect,
        markets: raw.emptyMarketFirst ? [empty, lone] : [lone],
        products: [
          product('x', {
            company: raw.secondCompanyOwns ? 'b' : 'a',
            appeal: raw.appeal,
            launchDay: raw.launchDay,
            initialUsers: Math.floor(raw.reach * raw.initialFraction),
            churn: raw.churn,
          }),
        ],
      })
    })
}

describe('single-product fast path of the expected engine', () => {
  it('writes the same trace as the general path on random single-product boards', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(singleProductModel(), (model) => {
        const compiled = new CompiledModel(parseModel(model))
        expect(isSingleProductBoard(compiled)).toBe(true)
        expectSameTrace(runSingleProduct(compiled), runExpectedGeneral(compiled))
      }),
      { seed: propertySeed, numRuns: 300 },
    )
  })

  it('is what runExpected runs for one product, with the same progress reports', () => {
    const model = marketModel({
      horizonDays: 400,
      stepDays: 0.7,
      products: [product('x', { launchDay: 30, initialUsers: 5000, churn: 0.01 })],
    })
    const compiled = new CompiledModel(parseModel(model))
    const fastProgress: number[] = []
    const generalProgress: number[] = []
    const fast = runExpected(compiled, { onProgress: (f) => fastProgress.push(f) })
    const general = runExpectedGeneral(compiled, { onProgress: (f) => generalProgress.push(f) })
    expectSameTrace(fast, general)
    expect(fastProgress).toEqual(generalProgress)
    // The product really spreads, so the comparison above is not between two empty traces.
    expect(fast.productUsers[fast.entries - 1]).toBeGreaterThan(100_000)
  })

  it('stops on an aborted signal like the general path', () => {
    const compiled = new CompiledModel(parseModel(marketModel({ products: [product('x')] })))
    const signal = AbortSignal.abort(new Error('stop'))
    expect(() => runSingleProduct(compiled, { signal })).toThrow('stop')
    expect(() => runExpectedGeneral(compiled, { signal })).toThrow('stop')
  })

  it('does not apply to boards with two products', () => {
    const two = marketModel({ products: [product('x'), product('y')] })
    expect(isSingleProductBoard(new CompiledModel(parseModel(two)))).toBe(false)
  })
})
