import { describe, expect, it } from 'vitest'
import { MAX_STEPS } from './limits.js'
import { ModelError } from './ModelError.js'
import { parseModel } from './parseModel.js'

function validModel() {
  return {
    version: 1,
    population: 1000,
    horizonDays: 30,
    stepDays: 1,
    seed: 7,
    networkEffect: 0,
    ecosystemPull: 0,
    companies: [{ id: 'a', name: 'A' }],
    markets: [{ id: 'm', name: 'M', reach: 500, p: 0.01, q: 0.2 }],
    products: [
      {
        id: 'x',
        name: 'X',
        company: 'a',
        market: 'm',
        appeal: 1,
        launchDay: 0,
        initialUsers: 0,
        churn: 0,
      },
    ],
    links: [] as { from: string; to: string; funnel: number; lockIn: number }[],
  }
}

function problemsOf(input: unknown): string[] {
  try {
    parseModel(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError)
    expect((error as ModelError).code).toBe('INVALID_MODEL')
    return (error as ModelError).problems.map((problem) => problem.message)
  }
  throw new Error('expected a ModelError')
}

describe('parseModel', () => {
  it('accepts a valid model', () => {
    const model = parseModel(validModel())
    expect(model.markets[0]?.reach).toBe(500)
  })

  it('names the path and the rule of a negative rate', () => {
    const model = validModel()
    model.markets[0]!.p = -1
    expect(problemsOf(model)).toEqual(['markets[0].p must be >= 0'])
  })

  it('rejects unknown company and market ids', () => {
    const model = validModel()
    model.products[0]!.company = 'nope'
    model.products[0]!.market = 'gone'
    expect(problemsOf(model)).toEqual([
      'products[0].company "nope" is not a company id',
      'products[0].market "gone" is not a market id',
    ])
  })

  it('lists every problem at once, field rules and cross-references together', () => {
    const model = validModel() as Record<string, unknown> & ReturnType<typeof validModel>
    model.markets[0]!.reach = 5000
    model.markets[0]!.q = Number.NaN
    model.products[0]!.churn = Number.POSITIVE_INFINITY
    model.links.push({ from: 'x', to: 'x', funnel: 0.1, lockIn: 2 })
    const problems = problemsOf(model)
    expect(problems).toContain('markets[0].reach must be <= population (1000)')
    expect(problems.some((p) => p.startsWith('markets[0].q must be a finite number'))).toBe(true)
    expect(problems.some((p) => p.startsWith('products[0].churn must be a finite number'))).toBe(
      true,
    )
    expect(problems).toContain('links[0].lockIn must be <= 1')
    expect(problems).toContain('links[0] links product "x" to itself')
  })

  it('rejects duplicate ids, dangling links and links inside one market', () => {
    const model = validModel()
    model.companies.push({ id: 'a', name: 'again' })
    model.products.push({ ...model.products[0]!, id: 'y' })
    model.links.push({ from: 'x', to: 'ghost', funnel: 0, lockIn: 0 })
    model.links.push({ from: 'x', to: 'y', funnel: 0, lockIn: 0 })
    const problems = problemsOf(model)
    expect(problems).toContain('companies[1].id "a" is a duplicate company id')
    expect(problems).toContain('links[0].to "ghost" is not a product id')
    expect(problems.some((p) => p.startsWith('links[1] joins two products of market "m"'))).toBe(
      true,
    )
  })

  it('rejects a horizon beyond the step cap but accepts sub-day steps below it', () => {
    const model = validModel()
    model.horizonDays = 200
    model.stepDays = 0.01
    expect(parseModel(model).stepDays).toBe(0.01)
    model.horizonDays = MAX_STEPS * 0.01 + 1
    expect(problemsOf(model)).toEqual([
      `horizonDays / stepDays needs ${MAX_STEPS + 100} steps, more than the cap of ${MAX_STEPS}`,
    ])
  })

  it('rejects initial users above the reach and missing fields', () => {
    const model = validModel() as unknown as Record<string, unknown>
    ;(model.products as Record<string, unknown>[])[0]!.initialUsers = 600
    delete model.seed
    const problems = problemsOf(model)
    expect(problems).toContain('products[0].initialUsers must be <= the reach of its market (500)')
    expect(problems).toContain('seed must be a number (got missing)')
  })

  it('rejects what is not an object', () => {
    expect(problemsOf('hello')).toEqual(['model must be an object (got string)'])
  })
})
