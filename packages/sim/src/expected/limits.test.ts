import { describe, expect, it } from 'vitest'
import { SimulationError } from '../engine/SimulationError.js'
import { simulate } from '../simulate.js'
import { marketModel, product } from '../testing/fixtures.js'
import { MAX_EXPECTED_STATES } from './limits.js'

/**
 * Two rival chains over `markets` markets, everyone in reach, every product launched on day 0 or,
 * with `staggered`, market i's on day 30·i.
 */
function chains(markets: number, staggered = false) {
  const ids = Array.from({ length: markets }, (_, m) => `m${m}`)
  return marketModel({
    // Ecosystem pull makes every market read the others', so they are carried jointly.
    networkEffect: 0.5,
    ecosystemPull: 0.3,
    markets: ids.map((id) => ({ id, name: id, reach: 1_000_000, p: 0.002, q: 0.05 })),
    products: ids.flatMap((market) =>
      ['a', 'b'].map((company) =>
        product(`${company}-${market}`, {
          company,
          market,
          launchDay: staggered ? 30 * Number(market.slice(1)) : 0,
        }),
      ),
    ),
    links: ids.slice(1).flatMap((market, i) =>
      ['a', 'b'].map((company) => ({
        from: `${company}-m${i}`,
        to: `${company}-${market}`,
        funnel: 0.01,
        lockIn: 0.4,
      })),
    ),
  })
}

function refusal(run: () => unknown): SimulationError {
  try {
    run()
  } catch (error) {
    if (error instanceof SimulationError) return error
    throw error
  }
  throw new Error('expected the expected engine to refuse the board')
}

describe('the expected engine cap', () => {
  it('refuses a board whose joint states fit but whose sweeps would not, naming the count and the way out', () => {
    // 3^10 = 59,049 joint states (none, a, b per market), under the cap; the sweeps' transient
    // old/new pairs are not.
    const error = refusal(() => simulate(chains(10)))
    expect(error.code).toBe('TOO_MANY_STATES')
    const states = Number(/carry ([\d,]+) joint/.exec(error.message)?.[1]?.replaceAll(',', ''))
    expect(states).toBeGreaterThan(MAX_EXPECTED_STATES)
    expect(error.message).toContain("options.engine = 'agents'")
  })

  it('refuses a board whose later launches make it too large before simulating a single step', () => {
    // The first launches fit; the board grows past the cap only as markets open month by month.
    const progress: number[] = []
    const error = refusal(() =>
      simulate(chains(10, true), { onProgress: (fraction) => progress.push(fraction) }),
    )
    expect(error.code).toBe('TOO_MANY_STATES')
    expect(progress).toEqual([])
  })

  it('runs the same chains when they fit, and the agents engine runs the refused board', () => {
    expect(simulate(chains(6)).products['a-m5']?.users.at(-1)).toBeGreaterThan(0)
    const agents = simulate(chains(10), { engine: 'agents', agents: 2000 })
    expect(agents.products['b-m9']?.users.at(-1)).toBeGreaterThan(0)
  })
})
