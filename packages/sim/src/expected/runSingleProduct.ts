import type { CompiledModel } from '../engine/CompiledModel.js'
import type { RunControl } from '../engine/RunControl.js'
import { Trace } from '../engine/Trace.js'

/**
 * Whether {@link runSingleProduct} applies: one product and no links. Its market is then an
 * isolated factor of the expected engine for the whole run, and every other market and company
 * stays empty.
 *
 * @param compiled - the model
 * @returns true when the board holds exactly one product and no link
 */
export function isSingleProductBoard(compiled: CompiledModel): boolean {
  return compiled.productCount === 1 && compiled.linkCount === 0
}

/**
 * The expected engine for a board of one product and no links (see
 * {@link isSingleProductBoard}): the joint holding state is just held / not held / out of reach,
 * so the exact expectation is a scalar recursion per step. It performs the same floating-point
 * operations, in the same order, as the general engine's isolated-market factor
 * (`runExpected`'s `stepFactor`, `seedFactor`, `recordCompanies`, `finishCompanies`), so it
 * writes the same trace; it only skips the general engine's per-step bookkeeping (plans, factor
 * lists, per-product and per-company loops), which costs more than the recursion itself on this
 * board.
 *
 * @param compiled - a model for which {@link isSingleProductBoard} holds
 * @param control - abort signal and progress callback
 * @returns the trace of every series
 */
export function runSingleProduct(compiled: CompiledModel, control: RunControl = {}): Trace {
  const trace = new Trace(compiled)
  const entries = trace.entries
  const steps = compiled.steps
  const population = compiled.population
  const dt = compiled.stepDays
  const market = compiled.productMarket[0]!
  const company = compiled.productCompany[0]!
  const churn = compiled.churn[0]!
  const reach = compiled.reach[market]!
  const p = compiled.p[market]!
  // As the general engine: q · population / reach, one multiplication per step.
  const imitation = reach > 0 ? (compiled.q[market]! * population) / reach : 0
  const drop = -Math.expm1(-churn * dt)
  const scale = population / dt
  const launch = compiled.launchStep[0]!
  // The product's share of its market's users is 1 once it has users and 0 before, so its
  // choice weight over the weight total (itself) takes only these two values.
  const ne = compiled.model.networkEffect
  const appeal = compiled.appeal[0]!
  const ratioFor = (share: number): number => {
    const weight = ne === 0 ? appeal : appeal * Math.exp(ne * share)
    const total = 0 + weight
    return total > 0 ? weight / total : 0
  }
  const ratioEmpty = ratioFor(0)
  const ratioHeld = ne === 0 ? ratioEmpty : ratioFor(1)
  const productUsers = trace.productUsers
  const marketUsers = trace.marketUsers
  const churned = trace.churned
  const adoptedOrganic = trace.adoptedOrganic
  const companyUsers = trace.companyUsers
  const companyDepth = trace.companyDepth
  const marketRow = market * entries
  const companyRow = company * entries
  // Nobody is ever locked in, so the mean hazard among holders is the base churn throughout.
  trace.churnHazard.fill(churn)
  const progressEvery = Math.max(1, Math.floor(steps / 100))
  const signal = control.signal
  const onProgress = control.onProgress
  // Probability mass of people in reach holding nothing, and of holders; the rest is out of
  // reach and never moves. Before the launch entry everything stays zero, as the trace is.
  let none = 0
  let holders = 0
  for (let entry = 0; entry <= steps; entry++) {
    if (entry === launch) {
      none = compiled.reachFraction[market]!
      const wanted = compiled.initialUsers[0]! / population
      if (none > 0 && wanted > 0) {
        const moved = Math.min(none, wanted)
        none -= moved
        holders = 0 + moved
      }
    }
    const users = holders
    marketUsers[marketRow + entry] = users * population
    productUsers[entry] = users * population
    // P(holding none of the company's products) is 1 − holders; the subtraction is kept as
    // the general engine does it so the company series round the same way.
    const fraction = Math.max(0, 1 - 1 * (1 - users))
    companyUsers[companyRow + entry] = fraction * population
    companyDepth[companyRow + entry] = fraction > 0 ? users / fraction : 0
    if (entry === steps) break
    if (signal) signal.throwIfAborted()
    if (onProgress && entry % progressEvery === 0) onProgress(entry / steps)
    if (entry < launch) continue
    const organic = reach > 0 ? p + imitation * users : 0
    const adopt = organic > 0 ? -Math.expm1(-organic * dt) * none : 0
    const dropped = drop > 0 ? holders * drop : 0
    const gained = adopt * (users > 0 ? ratioHeld : ratioEmpty)
    holders = holders - dropped + gained
    none = none - adopt + dropped
    churned[entry + 1] = dropped * scale
    adoptedOrganic[entry + 1] = gained * scale
  }
  if (onProgress) onProgress(1)
  return trace
}
