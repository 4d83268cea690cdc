import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Sfc32 } from '../agents/Sfc32.js'
import type { Model } from '../model/types.js'
import { simulate } from '../simulate.js'
import { marketModel, product } from '../testing/fixtures.js'
import type { AnalysisError } from './AnalysisError.js'
import { fitAdoption, type Observation } from './fitAdoption.js'
import { applyScenario } from './scenario.js'

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'))

const seed = Number(process.env.CHAINMAP_TEST_SEED ?? 20261124)

/** Observations of `id` every `every` days from the model, times (1 + noise · standard normal). */
function observe(model: Model, id: string, every: number, noise: number): Observation[] {
  const random = new Sfc32(seed)
  const uniform = () => (random.nextUint32() + 0.5) / 2 ** 32
  const users = simulate(model).products[id]!.users
  const observed: Observation[] = []
  for (let day = every; day <= model.horizonDays; day += every) {
    // Box–Muller: a seeded standard normal.
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
    observed.push({ day, users: users[day]! * (1 + noise * normal) })
  }
  return observed
}

describe('fitAdoption', () => {
  it(`recovers p and q from a noisy synthetic series within 5 % (seed ${seed})`, () => {
    const truth = marketModel({ horizonDays: 120, products: [product('x')] })
    const observed = observe(truth, 'x', 5, 0.01)
    const start = marketModel({ horizonDays: 120, products: [product('x')] })
    start.markets[0]!.p = 0.001
    start.markets[0]!.q = 0.03
    const fit = fitAdoption(start, { product: 'x', observed })
    expect(fit.values.p! / 0.003).toBeGreaterThan(0.95)
    expect(fit.values.p! / 0.003).toBeLessThan(1.05)
    expect(fit.values.q! / 0.08).toBeGreaterThan(0.95)
    expect(fit.values.q! / 0.08).toBeLessThan(1.05)
    expect(fit.rSquared).toBeGreaterThan(0.99)
    expect(fit.fitted).toHaveLength(observed.length)
    expect(fit.parameters).toEqual({ 'markets.m.p': fit.values.p, 'markets.m.q': fit.values.q })
    // The scenario carries the fit: applied, it reproduces the fitted series.
    const applied = simulate(applyScenario(start, fit.scenario)).products.x!.users
    expect(applied[60]).toBeCloseTo(fit.series.users[60]!, 6)
  })

  it(`recovers p, q and churn within 10 % (seed ${seed})`, () => {
    const truth = marketModel({ horizonDays: 200, products: [product('x', { churn: 0.01 })] })
    const observed = observe(truth, 'x', 5, 0.01)
    const start = marketModel({ horizonDays: 200, products: [product('x', { churn: 0.002 })] })
    start.markets[0]!.p = 0.001
    start.markets[0]!.q = 0.03
    const fit = fitAdoption(start, { product: 'x', observed, fit: ['p', 'q', 'churn'] })
    for (const [name, value] of [
      ['p', 0.003],
      ['q', 0.08],
      ['churn', 0.01],
    ] as const) {
      expect(Math.abs(fit.values[name]! / value - 1), name).toBeLessThan(0.1)
    }
  })

  it(`recovers a product's appeal against a rival (seed ${seed})`, () => {
    const board = (appeal: number) =>
      marketModel({
        horizonDays: 150,
        products: [product('x', { appeal }), product('y', { company: 'b' })],
      })
    const observed = observe(board(2.5), 'x', 5, 0.01)
    const fit = fitAdoption(board(1), { product: 'x', observed, fit: ['appeal'] })
    expect(Math.abs(fit.values.appeal! / 2.5 - 1)).toBeLessThan(0.05)
  })

  it('fits Bass (1969) room air conditioners to p and q in the published range', () => {
    const data = load('bass-1969-room-air-conditioners')
    const model = load('bass-1969-room-air-conditioners.model')
    const fit = fitAdoption(model, { product: 'room-air-conditioner', observed: data.observed })
    // Per day in the model; the paper's coefficients are per year.
    const pPerYear = fit.values.p! * 365
    const qPerYear = fit.values.q! * 365
    // Published: p = 0.0104, q = 0.4186 per year (Bass 1969, regression on annual sales). Least
    // squares on cumulative adopters gives a smaller p (the first years weigh less); we accept
    // p within ±50 % and q within ±20 % of the paper's estimates.
    expect(pPerYear).toBeGreaterThan(0.0104 * 0.5)
    expect(pPerYear).toBeLessThan(0.0104 * 1.5)
    expect(qPerYear).toBeGreaterThan(0.4186 * 0.8)
    expect(qPerYear).toBeLessThan(0.4186 * 1.2)
    expect(fit.rSquared).toBeGreaterThan(0.99)
    // With the market potential free too, m stays near the paper's 16,895 thousand.
    const free = fitAdoption(model, {
      product: 'room-air-conditioner',
      observed: data.observed,
      fit: ['p', 'q', 'reach'],
    })
    expect(Math.abs(free.values.reach! / 16_895_000 - 1)).toBeLessThan(0.15)
    expect(free.values.q! * 365).toBeGreaterThan(0.4186 * 0.8)
    expect(free.values.q! * 365).toBeLessThan(0.4186 * 1.2)
  })

  it('names bad observations and options', () => {
    const model = marketModel({ products: [product('x')] })
    const problems = (() => {
      try {
        fitAdoption(model, {
          product: 'x',
          observed: [
            { day: -1, users: 3 },
            { day: 2, users: Number.NaN },
          ],
        })
      } catch (error) {
        return (error as AnalysisError).problems
      }
      return []
    })()
    expect(problems).toEqual([
      'observed[0].day must be a finite number >= 0 (got -1)',
      'observed[1].users must be a finite number >= 0 (got NaN)',
      'observed needs at least 3 points for this fit, got 2',
    ])
    const observed = [1, 2, 3, 4].map((day) => ({ day, users: day }))
    expect(() => fitAdoption(model, { product: 'z', observed })).toThrow(
      'product "z" is not a product id',
    )
    expect(() => fitAdoption(model, { product: 'x', observed, fit: ['p', 'size' as 'p'] })).toThrow(
      'fit "size" is not a fit parameter',
    )
  })
})

describe('fitAdoption control', () => {
  it('reports progress up to 1 and cancels through its signal', () => {
    const truth = marketModel({ horizonDays: 120, products: [product('x')] })
    const observed = observe(truth, 'x', 10, 0.01)
    const start = marketModel({ horizonDays: 120, products: [product('x')] })
    start.markets[0]!.q = 0.02
    const progress: number[] = []
    fitAdoption(start, { product: 'x', observed }, { onProgress: (f) => progress.push(f) })
    expect(progress.at(-1)).toBe(1)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    const controller = new AbortController()
    controller.abort(new Error('fit cancelled'))
    expect(() =>
      fitAdoption(start, { product: 'x', observed }, { signal: controller.signal }),
    ).toThrow('fit cancelled')
  })
})
