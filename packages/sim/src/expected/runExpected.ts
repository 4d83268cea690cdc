import type { CompiledModel } from '../engine/CompiledModel.js'
import type { RunControl } from '../engine/RunControl.js'
import { Trace } from '../engine/Trace.js'
import { ExpectedPlan, OUT_OF_REACH, RowKind } from './ExpectedPlan.js'
import { PRUNE_EPSILON } from './limits.js'

interface PlanState {
  plan: ExpectedPlan
  branchProb: Float64Array[]
  rowMass: Float64Array[]
}

function preparePlan(plan: ExpectedPlan): PlanState {
  return {
    plan,
    branchProb: plan.sweeps.map((sweep) => new Float64Array(sweep.branchOffset.length)),
    rowMass: plan.sweeps.map((sweep) => new Float64Array(sweep.rows.length)),
  }
}

/** Moves the distribution of `from` into the state space of `to` (which has the same or more products). */
function remap(
  compiled: CompiledModel,
  from: ExpectedPlan,
  to: ExpectedPlan,
  dist: Float64Array,
  into: Float64Array,
): void {
  into.fill(0, 0, to.size)
  const oldCoord = new Map(from.markets.map((market, coord) => [market, coord]))
  const fresh = to.markets
    .map((market, coord) => ({ market, coord }))
    .filter(({ market }) => !oldCoord.has(market))
  const kept = to.markets
    .map((market, coord) => ({ coord, old: oldCoord.get(market) }))
    .filter((entry): entry is { coord: number; old: number } => entry.old !== undefined)
  for (let index = 0; index < from.size; index++) {
    const mass = dist[index]!
    if (mass === 0) continue
    let target = 0
    for (const { coord, old } of kept) {
      const digit = Math.floor(index / from.strides[old]!) % from.sizes[old]!
      target += to.digitOf(coord, from.values[old]![digit]!) * to.strides[coord]!
    }
    spread(compiled, to, fresh, 0, target, mass, into)
  }
}

function spread(
  compiled: CompiledModel,
  to: ExpectedPlan,
  fresh: readonly { market: number; coord: number }[],
  at: number,
  target: number,
  mass: number,
  into: Float64Array,
): void {
  const next = fresh[at]
  if (next === undefined) {
    into[target]! += mass
    return
  }
  const reach = compiled.reachFraction[next.market]!
  const stride = to.strides[next.coord]!
  spread(compiled, to, fresh, at + 1, target, mass * reach, into)
  if (reach < 1) {
    const outDigit = to.digitOf(next.coord, OUT_OF_REACH)
    spread(compiled, to, fresh, at + 1, target + outDigit * stride, mass * (1 - reach), into)
  }
}

/** Gives a launching product its initial users, taken from people in reach holding nothing. */
function seedInitialUsers(
  compiled: CompiledModel,
  plan: ExpectedPlan,
  product: number,
  dist: Float64Array,
): void {
  const coord = plan.markets.indexOf(compiled.productMarket[product]!)
  const stride = plan.strides[coord]!
  const size = plan.sizes[coord]!
  const digit = plan.digitOf(coord, product)
  let noneMass = 0
  for (let index = 0; index < plan.size; index++) {
    if (Math.floor(index / stride) % size === 0) noneMass += dist[index]!
  }
  const wanted = compiled.initialUsers[product]! / compiled.population
  if (noneMass <= 0 || wanted <= 0) return
  const fraction = Math.min(1, wanted / noneMass)
  for (let index = 0; index < plan.size; index++) {
    if (Math.floor(index / stride) % size !== 0) continue
    const moved = dist[index]! * fraction
    dist[index]! -= moved
    dist[index + digit * stride]! += moved
  }
}

/** Recomputes every product's and market's holders from the joint distribution. */
function marginals(
  compiled: CompiledModel,
  plan: ExpectedPlan,
  dist: Float64Array,
  held: Float64Array,
): void {
  held.fill(0)
  for (let index = 0; index < plan.size; index++) {
    const mass = dist[index]!
    if (mass === 0) continue
    for (let coord = 0; coord < plan.markets.length; coord++) {
      const digit = Math.floor(index / plan.strides[coord]!) % plan.sizes[coord]!
      const value = plan.values[coord]![digit]!
      if (value >= 0) held[value]! += mass
    }
  }
  void compiled
}

/**
 * The expected engine: the exact expectation of the micro rules, carried as a probability
 * distribution over joint holding states (see `ExpectedPlan`). Work per step is about
 * (number of states) × (number of active markets) × 2.
 *
 * @param compiled - the model
 * @param control - abort signal and progress callback
 * @returns the trace of every series
 */
export function runExpected(compiled: CompiledModel, control: RunControl = {}): Trace {
  const trace = new Trace(compiled)
  const entries = trace.entries
  const population = compiled.population
  const dt = compiled.stepDays
  const productCount = compiled.productCount
  const launched = new Uint8Array(productCount)
  let state = preparePlan(new ExpectedPlan(compiled, launched))
  let dist = new Float64Array(Math.max(1, state.plan.maxSize))
  let spare = new Float64Array(dist.length)
  dist[0] = 1
  const held = new Float64Array(productCount)
  const marketHeld = new Float64Array(compiled.marketCount)
  const shares = new Float64Array(productCount)
  const organic = new Float64Array(compiled.marketCount)
  const weights = new Float64Array(productCount)
  const hazardSum = new Float64Array(productCount)
  const hazardMass = new Float64Array(productCount)
  const ne = compiled.model.networkEffect
  const pull = compiled.model.ecosystemPull
  const progressEvery = Math.max(1, Math.floor(compiled.steps / 100))

  for (let entry = 0; entry <= compiled.steps; entry++) {
    let launchedNow = false
    for (let product = 0; product < productCount; product++) {
      if (compiled.launchStep[product] === entry) {
        launched[product] = 1
        launchedNow = true
      }
    }
    if (launchedNow) {
      const plan = new ExpectedPlan(compiled, launched)
      const size = Math.max(1, plan.maxSize)
      const next = new Float64Array(size)
      remap(compiled, state.plan, plan, dist, next)
      dist = next
      spare = new Float64Array(size)
      state = preparePlan(plan)
      for (let product = 0; product < productCount; product++) {
        if (compiled.launchStep[product] === entry) seedInitialUsers(compiled, plan, product, dist)
      }
      marginals(compiled, plan, dist, held)
    }
    const plan = state.plan

    marketHeld.fill(0)
    for (let product = 0; product < productCount; product++) {
      trace.productUsers[product * entries + entry] = held[product]! * population
      marketHeld[compiled.productMarket[product]!]! += held[product]!
    }
    for (let market = 0; market < compiled.marketCount; market++) {
      trace.marketUsers[market * entries + entry] = marketHeld[market]! * population
    }
    recordCompanies(compiled, trace, plan, dist, held, entry)
    if (entry === 0) {
      for (let product = 0; product < productCount; product++) {
        trace.churnHazard[product * entries] = compiled.churn[product]!
      }
    }
    if (entry === compiled.steps) break
    control.signal?.throwIfAborted()
    if (control.onProgress && entry % progressEvery === 0)
      control.onProgress(entry / compiled.steps)

    for (let product = 0; product < productCount; product++) {
      const users = marketHeld[compiled.productMarket[product]!]!
      shares[product] = users > 0 ? held[product]! / users : 0
    }
    for (let market = 0; market < compiled.marketCount; market++) {
      const reach = compiled.reach[market]!
      organic[market] =
        reach > 0
          ? compiled.p[market]! + (compiled.q[market]! * marketHeld[market]! * population) / reach
          : 0
    }
    hazardSum.fill(0)
    hazardMass.fill(0)
    const out = entry + 1

    for (let s = 0; s < plan.sweeps.length; s++) {
      const sweep = plan.sweeps[s]!
      const market = plan.markets[sweep.coord]!
      const prob = state.branchProb[s]!
      const rowMass = state.rowMass[s]!
      const rows = sweep.rows
      const rowStart = sweep.rowStart
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!
        const b = rowStart[r]!
        if (row.kind === RowKind.OutOfReach) {
          prob[b] = 1
        } else if (row.kind === RowKind.Held) {
          const drop = -Math.expm1(-compiled.churn[row.product]! * row.lockFactor * dt)
          prob[b] = 1 - drop
          prob[b + 1] = drop
        } else {
          const candidates = plan.values[sweep.coord]!
          let funnelTotal = 0
          let weightTotal = 0
          for (let u = 0; u < row.funnelInto.length; u++) {
            funnelTotal += row.funnelInto[u]!
            const product = candidates[u + 1]!
            const w =
              compiled.appeal[product]! *
              Math.exp(ne * shares[product]! + pull * row.companyHeld[u]!)
            weights[u] = w
            weightTotal += w
          }
          const o = organic[market]!
          const total = funnelTotal + o
          const adopt = total > 0 ? -Math.expm1(-total * dt) : 0
          prob[b] = 1 - adopt
          for (let u = 0; u < row.funnelInto.length; u++) {
            prob[b + 1 + u] =
              total > 0
                ? (adopt * (row.funnelInto[u]! + (o * weights[u]!) / weightTotal)) / total
                : 0
          }
        }
      }
      rowMass.fill(0)
      const input = dist
      const output = spare
      output.fill(0, 0, sweep.outSize)
      applySweep(
        dist,
        output,
        sweep.inSize,
        sweep.rowOf,
        sweep.outBase,
        rowStart,
        sweep.branchOffset,
        prob,
        rowMass,
      )
      dist = output
      spare = input
      accountSweep(
        compiled,
        trace,
        plan,
        s,
        state,
        held,
        shares,
        organic,
        hazardSum,
        hazardMass,
        out,
      )
    }
    for (let product = 0; product < productCount; product++) {
      trace.churnHazard[product * entries + out] =
        hazardMass[product]! > 0
          ? hazardSum[product]! / hazardMass[product]!
          : compiled.churn[product]!
    }
    void weights
  }
  control.onProgress?.(1)
  return trace
}

/** The hot loop: moves every state's mass along its row's branches. */
function applySweep(
  input: Float64Array,
  output: Float64Array,
  inSize: number,
  rowOf: Int32Array,
  outBase: Int32Array,
  rowStart: Int32Array,
  offsets: Int32Array,
  prob: Float64Array,
  rowMass: Float64Array,
): void {
  for (let index = 0; index < inSize; index++) {
    const mass = input[index]!
    if (mass < PRUNE_EPSILON) continue
    const r = rowOf[index]!
    rowMass[r]! += mass
    const at = outBase[index]!
    const end = rowStart[r + 1]!
    for (let b = rowStart[r]!; b < end; b++) output[at + offsets[b]!]! += mass * prob[b]!
  }
}

function accountSweep(
  compiled: CompiledModel,
  trace: Trace,
  plan: ExpectedPlan,
  s: number,
  state: PlanState,
  held: Float64Array,
  shares: Float64Array,
  organic: Float64Array,
  hazardSum: Float64Array,
  hazardMass: Float64Array,
  out: number,
): void {
  const sweep = plan.sweeps[s]!
  const prob = state.branchProb[s]!
  const rowMass = state.rowMass[s]!
  const values = plan.values[sweep.coord]!
  const market = plan.markets[sweep.coord]!
  const entries = trace.entries
  const scale = compiled.population / compiled.stepDays
  for (const product of values) if (product >= 0) held[product] = 0
  for (let r = 0; r < sweep.rows.length; r++) {
    const mass = rowMass[r]!
    const start = sweep.rowStart[r]!
    const end = sweep.rowStart[r + 1]!
    for (let b = start; b < end; b++) {
      const product = values[sweep.branchDigit[b]!]!
      if (product >= 0) held[product]! += mass * prob[b]!
    }
    if (mass === 0) continue
    const row = sweep.rows[r]!
    if (row.kind === RowKind.Held) {
      trace.churned[row.product * entries + out]! += mass * prob[start + 1]! * scale
      hazardSum[row.product]! += mass * compiled.churn[row.product]! * row.lockFactor
      hazardMass[row.product]! += mass
    } else if (row.kind === RowKind.None) {
      const adopt = 1 - prob[start]!
      if (adopt <= 0) continue
      let funnelTotal = 0
      for (let u = 0; u < row.funnelInto.length; u++) funnelTotal += row.funnelInto[u]!
      const total = funnelTotal + organic[market]!
      for (let u = 0; u < row.funnelInto.length; u++) {
        const product = values[u + 1]!
        const viaFunnel = (mass * adopt * row.funnelInto[u]!) / total
        trace.adoptedFunnel[product * entries + out]! += viaFunnel * scale
        trace.adoptedOrganic[product * entries + out]! +=
          (mass * prob[start + 1 + u]! - viaFunnel) * scale
      }
      for (const link of row.activeLinks) {
        trace.linkFlow[link * entries + out]! +=
          ((mass * adopt * compiled.funnel[link]!) / total) * scale
      }
    }
  }
  void shares
}

function recordCompanies(
  compiled: CompiledModel,
  trace: Trace,
  plan: ExpectedPlan,
  dist: Float64Array,
  held: Float64Array,
  entry: number,
): void {
  const entries = trace.entries
  let total = 0
  for (let index = 0; index < plan.size; index++) total += dist[index]!
  for (let company = 0; company < compiled.companyCount; company++) {
    let none = 0
    for (const index of plan.companyNone[company]!) none += dist[index]!
    let products = 0
    for (let product = 0; product < compiled.productCount; product++) {
      if (compiled.productCompany[product] === company) products += held[product]!
    }
    const users = Math.max(0, total - none)
    trace.companyUsers[company * entries + entry] = users * compiled.population
    trace.companyDepth[company * entries + entry] = users > 0 ? products / users : 0
  }
}
