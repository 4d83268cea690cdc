import type { CompiledModel } from '../engine/CompiledModel.js'
import { ExpectedPlan } from './ExpectedPlan.js'
import { isolatedMarkets, marketReads } from './marketReads.js'

/** Plans per launched set, for one board structure. */
type Plans = Map<string, ExpectedPlan>

/**
 * Plans already built, per compiled model (held weakly: dropped with the model). A plan is
 * immutable and depends only on the board's structure and the launched set, so re-running a
 * compiled model skips the plan building — most of a small board's run time.
 */
const byModel = new WeakMap<CompiledModel, Plans>()

/**
 * Plans of small boards by structure key, for callers that compile afresh on every run
 * (`simulate()`, which the canvas calls on every edit): an edit that leaves the structure alone
 * (Bass coefficients, appeal, churn, initial users, network effect, horizon) reuses the plans.
 * At most {@link STRUCTURES} structures, and only plans of at most {@link SMALL_PLAN} states,
 * so the cache stays small.
 */
const byStructure = new Map<string, Plans>()
const STRUCTURES = 8
const SMALL_PLAN = 4096

/**
 * Everything a plan depends on: which markets reach the whole population, each product's market
 * and company, each link with its funnel and lock-in, and the ecosystem pull.
 */
function structureKey(compiled: CompiledModel): string {
  let reachAll = ''
  for (let m = 0; m < compiled.marketCount; m++) reachAll += compiled.reachFraction[m]! < 1 ? 0 : 1
  return [
    compiled.model.ecosystemPull,
    compiled.companyCount,
    reachAll,
    compiled.productMarket.join(),
    compiled.productCompany.join(),
    compiled.linkFrom.join(),
    compiled.linkTo.join(),
    compiled.funnel.join(),
    compiled.lockIn.join(),
  ].join('|')
}

function plansOf(compiled: CompiledModel): Plans {
  let plans = byModel.get(compiled)
  if (plans !== undefined) return plans
  const key = structureKey(compiled)
  plans = byStructure.get(key)
  if (plans === undefined) {
    plans = new Map()
    if (byStructure.size >= STRUCTURES) {
      const oldest = byStructure.keys().next().value
      if (oldest !== undefined) byStructure.delete(oldest)
    }
    byStructure.set(key, plans)
  }
  byModel.set(compiled, plans)
  return plans
}

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
  const plans = plansOf(compiled)
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
  if (plan.maxSize <= SMALL_PLAN) plans.set(key, plan)
  return plan
}
