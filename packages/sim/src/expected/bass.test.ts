import { describe, expect, it } from 'vitest'
import { simulate } from '../simulate.js'
import { marketModel, product } from '../testing/fixtures.js'

function bassClosedForm(m: number, p: number, q: number, t: number): number {
  const e = Math.exp(-(p + q) * t)
  return (m * (1 - e)) / (1 + (q / p) * e)
}

describe('expected engine against Bass diffusion', () => {
  it('follows the discrete Bass recurrence to 1e-9 relative (Δ = 1, no churn)', () => {
    for (const reach of [600_000, 1_000_000]) {
      const model = marketModel({ products: [product('x')] })
      model.markets[0]!.reach = reach
      const users = simulate(model).products.x!.users
      const { p, q } = model.markets[0]!
      let n = 0
      for (let day = 0; day <= 365; day++) {
        expect(Math.abs(users[day]! - n)).toBeLessThanOrEqual(1e-9 * Math.max(n, 1))
        n = n + -Math.expm1(-(p + (q * n) / reach)) * (reach - n)
      }
    }
  })

  it('converges to the continuous closed form: Δ = 0.01 within 0.05% of m', {
    timeout: 60_000,
  }, () => {
    const model = marketModel({ horizonDays: 200, stepDays: 0.01, products: [product('x')] })
    const result = simulate(model)
    const { reach, p, q } = model.markets[0]!
    const users = result.products.x!.users
    expect(users.length).toBe(20_001)
    let worst = 0
    for (let k = 0; k < users.length; k += 10) {
      worst = Math.max(worst, Math.abs(users[k]! - bassClosedForm(reach, p, q, result.days[k]!)))
    }
    expect(worst / reach).toBeLessThan(0.0005)
  })
})
