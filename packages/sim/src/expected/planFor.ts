import type { CompiledModel } from '../engine/CompiledModel.js'
import { ExpectedPlan } from './ExpectedPlan.js'
import { isolatedMarkets, marketReads } from './marketReads.js'

/**
 * Plans already built, per compiled model and set of launched products. A plan is immutable
 * and depends only on the compiled model and the launched set, so re-running the same compiled
 * model (a benchmark, several runs, a caller that keeps its `CompiledModel`) skips the plan
 * building — most of a small board's run time. Held weakly: dropped with the model.
 */
const cache = new WeakMap<CompiledModel, Map<string, ExpectedPlan>>()

/**
 * The expected engine's plan for a set of launched products: the markets read by others or
 * reading others (and holding a launched product) are joint coordinates; the isolated ones are
 * left to the caller as independent factors.
 *
 * @param compiled - the model
 * @param launched - 1 for each launched product
 * @returns the plan (shared between runs; never mutate it)
 * @throws `SimulationError('TOO_MANY_STATES')` when the joint state space exceeds the cap
 */
export function planFor(compiled: CompiledModel, launched: Uint8Array): ExpectedPlan {
  let plans = cache.get(compiled)
  if (plans === undefined) {
    plans = new Map()
    cache.set(compiled, plans)
  }
  const key = launched.join('')
  const known = plans.get(key)
  if (known !== undefined) return known
  const reads = marketReads(compiled, launched)
  const isolated = isolatedMarkets(compiled, reads)
  const joint = Uint8Array.from({ length: compiled.marketCount }, (_, market) => {
    const active = (compiled.marketProducts[market] ?? []).some((p) => launched[p] === 1)
    return active && isolated[market] !== 1 ? 1 : 0
  })
  const plan = new ExpectedPlan(compiled, launched, reads, joint)
  plans.set(key, plan)
  return plan
}
