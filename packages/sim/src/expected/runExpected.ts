import type { CompiledModel } from '../engine/CompiledModel.js'
import type { RunControl } from '../engine/RunControl.js'
import { Trace } from '../engine/Trace.js'
import { type ExpectedPlan, NONE, OUT_OF_REACH, RowKind, type Sweep } from './ExpectedPlan.js'
import { PRUNE_EPSILON } from './limits.js'
import { planFor } from './planFor.js'
import { isSingleProductBoard, runSingleProduct } from './runSingleProduct.js'

interface PlanState {
  plan: ExpectedPlan
  branchProb: Float64Array[]
  rowMass: Float64Array[]
}

function preparePlan(compiled: CompiledModel, plan: ExpectedPlan): PlanState {
  const dt = compiled.stepDays
  const branchProb = plan.sweeps.map((sweep) => {
    const prob = new Float64Array(sweep.branchOffset.length)
    // Rows of holders keep their probabilities for the whole plan (churn and lock-in are
    // constants), and rows out of reach always stay: only rows holding nothing change per step.
    for (let r = 0; r < sweep.rowKind.length; r++) {
      const b = sweep.rowStart[r]!
      if (sweep.rowKind[r] === RowKind.OutOfReach) {
        prob[b] = 1
      } else if (sweep.rowKind[r] === RowKind.Held) {
        const rate = compiled.churn[sweep.rowProduct[r]!]! * sweep.rowLock[r]!
        const drop = -Math.expm1(-rate * dt)
        prob[b] = 1 - drop
        prob[b + 1] = drop
      }
    }
    return prob
  })
  return {
    plan,
    branchProb,
    rowMass: plan.sweeps.map((sweep) => new Float64Array(sweep.rows.length)),
  }
}

/**
 * The distribution of one market on its own, over `values` (NONE, launched products, and
 * OUT_OF_REACH when reach < population): the factor of a market that is either isolated or
 * about to join the joint state.
 */
interface MarketFactor {
  market: number
  values: Int32Array
  mass: Float64Array
  /** Company of the product of each digit, -1 for NONE and OUT_OF_REACH. */
  companies: Int32Array
}

/** A market's factor over the digits `values`, from its previous factor or, if new, its reach. */
function factorFor(
  compiled: CompiledModel,
  market: number,
  values: Int32Array,
  previous: MarketFactor | undefined,
): Float64Array {
  const mass = new Float64Array(values.length)
  if (previous) {
    previous.values.forEach((value, digit) => {
      mass[values.indexOf(value)]! += previous.mass[digit]!
    })
    return mass
  }
  const reach = compiled.reachFraction[market]!
  mass[0] = reach
  if (reach < 1) mass[values.indexOf(OUT_OF_REACH)] = 1 - reach
  return mass
}

/**
 * Moves the distribution of `from` into the state space of `to` (same or more products, same
 * or more markets); a market new to the joint state enters as an independent factor.
 */
function remap(
  from: ExpectedPlan,
  to: ExpectedPlan,
  dist: Float64Array,
  into: Float64Array,
  factors: ReadonlyMap<number, Float64Array>,
): void {
  into.fill(0, 0, to.size)
  const oldCoord = new Map(from.markets.map((market, coord) => [market, coord]))
  const fresh = to.markets
    .map((market, coord) => ({ coord, mass: factors.get(market)! }))
    .filter((_, coord) => !oldCoord.has(to.markets[coord]!))
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
    spread(to, fresh, 0, target, mass, into)
  }
}

function spread(
  to: ExpectedPlan,
  fresh: readonly { coord: number; mass: Float64Array }[],
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
  const stride = to.strides[next.coord]!
  for (let digit = 0; digit < next.mass.length; digit++) {
    const share = next.mass[digit]!
    if (share > 0) spread(to, fresh, at + 1, target + digit * stride, mass * share, into)
  }
}

/** Gives a launching product of an isolated market its initial users. */
function seedFactor(compiled: CompiledModel, factor: MarketFactor, product: number): void {
  const wanted = compiled.initialUsers[product]! / compiled.population
  const none = factor.mass[0]!
  if (none <= 0 || wanted <= 0) return
  const moved = Math.min(none, wanted)
  factor.mass[0] = none - moved
  factor.mass[factor.values.indexOf(product)]! += moved
}

/** Per-run constants and scratch space the steps of the isolated factors share. */
interface FactorScratch {
  /** `1 − e^(−churn·Δ)` of each product (base churn only: no lock-in reaches an isolated market). */
  readonly baseDrop: Float64Array
  /** Choice weight of each digit, rewritten every step. */
  readonly weights: Float64Array
  /** People per day per unit of probability mass: population / Δ. */
  readonly scale: number
  /** The model's network effect. */
  readonly networkEffect: number
}

/**
 * One step of an isolated market: its factor moves on its own (no funnel reaches it and no
 * lock-in touches it, so every holder churns at base rate and adoption is organic only).
 */
function stepFactor(
  compiled: CompiledModel,
  trace: Trace,
  factor: MarketFactor,
  organic: number,
  shares: Float64Array,
  held: Float64Array,
  out: number,
  scratch: FactorScratch,
): void {
  const dt = compiled.stepDays
  const entries = trace.entries
  const { values, mass } = factor
  const { baseDrop, weights, scale } = scratch
  const appeal = compiled.appeal
  const none = mass[0]!
  const adopt = organic > 0 ? -Math.expm1(-organic * dt) * none : 0
  const ne = scratch.networkEffect
  const digits = values.length
  let weightTotal = 0
  for (let d = 1; d < digits; d++) {
    const product = values[d]!
    if (product < 0) continue
    const weight = ne === 0 ? appeal[product]! : appeal[product]! * Math.exp(ne * shares[product]!)
    weights[d] = weight
    weightTotal += weight
  }
  let returned = 0
  for (let d = 1; d < digits; d++) {
    const product = values[d]!
    if (product < 0) continue
    const holders = mass[d]!
    const drop = baseDrop[product]!
    const dropped = drop > 0 ? holders * drop : 0
    // The weight ratio does not depend on this step's adoption: computing it first keeps the
    // division off the step-to-step dependency chain (holders -> hazard -> adoption -> holders).
    const gained = weightTotal > 0 ? adopt * (weights[d]! / weightTotal) : 0
    const now = holders - dropped + gained
    mass[d] = now
    held[product] = now
    returned += dropped
    // The hazard entry is written by the caller (base churn, as nobody here is locked in).
    const at = product * entries + out
    trace.churned[at] = dropped * scale
    trace.adoptedOrganic[at] = gained * scale
  }
  mass[0] = none - adopt + returned
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
function marginals(plan: ExpectedPlan, dist: Float64Array, held: Float64Array): void {
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
}

/** The run state a launch replaces. */
interface Layout {
  readonly state: PlanState
  readonly factors: Map<number, MarketFactor>
  readonly dist: Float64Array
}

/** {@link Layout} plus what the step loop derives from it. */
interface NewLayout extends Layout {
  readonly factorList: MarketFactor[]
  readonly spare: Float64Array
}

/**
 * Launches the products whose launch entry is `entry`: the new plan, the distribution moved
 * into it, the isolated factors, the initial users, and every product's holders in `held`.
 */
function relaunch(
  compiled: CompiledModel,
  entry: number,
  launched: Uint8Array,
  previous: Layout,
  held: Float64Array,
  last: { readonly launched: Uint8Array; readonly plan: ExpectedPlan },
): NewLayout {
  const productCount = compiled.productCount
  const marketCount = compiled.marketCount
  const { state, factors } = previous
  for (let product = 0; product < productCount; product++) {
    if (compiled.launchStep[product] === entry) launched[product] = 1
  }
  const joint = new Uint8Array(marketCount)
  const nextFactors = new Map<number, MarketFactor>()
  const entering = new Map<number, Float64Array>()
  const plan = sameProducts(launched, last.launched) ? last.plan : planFor(compiled, launched)
  plan.markets.forEach((market, coord) => {
    joint[market] = 1
    if (!state.plan.markets.includes(market)) {
      entering.set(market, factorFor(compiled, market, plan.values[coord]!, factors.get(market)))
    }
  })
  for (let market = 0; market < marketCount; market++) {
    if (joint[market] === 1) continue
    const products = (compiled.marketProducts[market] ?? []).filter((p) => launched[p] === 1)
    if (products.length === 0) continue
    const digits = [NONE, ...products]
    if (compiled.reachFraction[market]! < 1) digits.push(OUT_OF_REACH)
    const values = Int32Array.from(digits)
    nextFactors.set(market, {
      market,
      values,
      mass: factorFor(compiled, market, values, factors.get(market)),
      companies: values.map((product) => (product >= 0 ? compiled.productCompany[product]! : -1)),
    })
  }
  const size = Math.max(1, plan.maxSize)
  const dist = new Float64Array(size)
  remap(state.plan, plan, previous.dist, dist, entering)
  for (let product = 0; product < productCount; product++) {
    if (compiled.launchStep[product] !== entry) continue
    const factor = nextFactors.get(compiled.productMarket[product]!)
    if (factor) seedFactor(compiled, factor, product)
    else seedInitialUsers(compiled, plan, product, dist)
  }
  const factorList = [...nextFactors.values()]
  marginals(plan, dist, held)
  for (const factor of factorList) {
    factor.values.forEach((product, digit) => {
      if (product >= 0) held[product] = factor.mass[digit]!
    })
  }
  return {
    state: preparePlan(compiled, plan),
    factors: nextFactors,
    dist,
    factorList,
    spare: new Float64Array(size),
  }
}

/**
 * The expected engine: the exact expectation of the micro rules, carried as a probability
 * distribution over joint holding states (see `ExpectedPlan`). Work per step is about the sum
 * over sweeps of (states × branches), plus a constant per row.
 *
 * @param compiled - the model
 * @param control - abort signal and progress callback
 * @returns the trace of every series
 */
export function runExpected(compiled: CompiledModel, control: RunControl = {}): Trace {
  // A lone product's market needs none of the general machinery below: a scalar recursion
  // writes the same values in about half the time (the whole run of a Bass board is that).
  if (isSingleProductBoard(compiled)) return runSingleProduct(compiled, control)
  return runExpectedGeneral(compiled, control)
}

/**
 * The general path of {@link runExpected}, for every board: `runExpected` sends boards of one
 * product to a faster path that writes the same values, and the tests compare the two with this.
 *
 * @param compiled - the model
 * @param control - abort signal and progress callback
 * @returns the trace of every series
 */
export function runExpectedGeneral(compiled: CompiledModel, control: RunControl = {}): Trace {
  const trace = new Trace(compiled)
  const entries = trace.entries
  const population = compiled.population
  const dt = compiled.stepDays
  const productCount = compiled.productCount
  const marketCount = compiled.marketCount
  const churn = compiled.churn
  // Launches only add products, so the last launch's joint states are the most (and usually its
  // sweeps the largest): built first, its plan refuses a board too large for this engine at once
  // instead of after simulating up to that launch (the canvas then falls back to agents). An
  // earlier launch whose sweep order happens to need more is still refused when it comes.
  const lastLaunched = Uint8Array.from(compiled.launchStep, (step) =>
    step <= compiled.steps ? 1 : 0,
  )
  const last = { launched: lastLaunched, plan: planFor(compiled, lastLaunched) }
  const launched = new Uint8Array(productCount)
  let state = preparePlan(compiled, planFor(compiled, launched))
  /** Factors of the isolated markets with a launched product, by market. */
  let factors = new Map<number, MarketFactor>()
  let factorList: MarketFactor[] = []
  let dist: Float64Array = new Float64Array(Math.max(1, state.plan.maxSize))
  let spare: Float64Array = new Float64Array(dist.length)
  dist[0] = 1
  const held = new Float64Array(productCount)
  const marketHeld = new Float64Array(marketCount)
  const shares = new Float64Array(productCount)
  const organic = new Float64Array(marketCount)
  const weights = new Float64Array(productCount)
  const hazardSum = new Float64Array(productCount)
  const hazardMass = new Float64Array(productCount)
  const baseDrop = Float64Array.from(churn, (rate) => -Math.expm1(-rate * dt))
  let maxDigits = 0
  for (const products of compiled.marketProducts) maxDigits = Math.max(maxDigits, products.length)
  const scratch: FactorScratch = {
    baseDrop,
    weights: new Float64Array(maxDigits + 2),
    scale: population / dt,
    networkEffect: compiled.model.networkEffect,
  }
  const companies = companyTables(compiled)
  // The products of each market, flattened: market m owns marketList[marketStart[m] .. m + 1].
  const marketStart = new Int32Array(marketCount + 1)
  const marketList = new Int32Array(productCount)
  for (let market = 0, at = 0; market < marketCount; market++) {
    marketStart[market] = at
    for (const product of compiled.marketProducts[market] ?? []) marketList[at++] = product
    marketStart[market + 1] = at
  }
  const productMarket = compiled.productMarket
  const productUsers = trace.productUsers
  const marketUsers = trace.marketUsers
  const reachOf = compiled.reach
  const pOf = compiled.p
  // q · population / reach per market: one multiplication per step instead of a division.
  const imitation = Float64Array.from(reachOf, (reach, m) =>
    reach > 0 ? (compiled.q[m]! * population) / reach : 0,
  )
  const ne = compiled.model.networkEffect
  const progressEvery = Math.max(1, Math.floor(compiled.steps / 100))
  const signal = control.signal
  const onProgress = control.onProgress
  const launchEntries = new Uint8Array(entries + 1)
  for (let product = 0; product < productCount; product++) {
    launchEntries[Math.min(entries, compiled.launchStep[product]!)] = 1
    trace.churnHazard[product * entries] = churn[product]!
  }

  for (let entry = 0; entry <= compiled.steps; entry++) {
    if (launchEntries[entry] === 1) {
      // Kept out of line: launches are rare, and the step loop compiles better without them.
      const next = relaunch(compiled, entry, launched, { state, factors, dist }, held, last)
      state = next.state
      factors = next.factors
      factorList = next.factorList
      dist = next.dist
      spare = next.spare
    }
    const plan = state.plan

    // One pass over markets (their users, the organic hazard) and one over products.
    for (let market = 0; market < marketCount; market++) {
      let users = 0
      for (let i = marketStart[market]!, end = marketStart[market + 1]!; i < end; i++) {
        users += held[marketList[i]!]!
      }
      marketHeld[market] = users
      marketUsers[market * entries + entry] = users * population
      organic[market] = reachOf[market]! > 0 ? pOf[market]! + imitation[market]! * users : 0
    }
    for (let product = 0; product < productCount; product++) {
      const users = held[product]!
      const inMarket = marketHeld[productMarket[product]!]!
      productUsers[product * entries + entry] = users * population
      // Shares only enter the choice weights through the network effect.
      if (ne !== 0) shares[product] = inMarket > 0 ? users / inMarket : 0
      hazardSum[product] = 0
      hazardMass[product] = 0
    }
    recordCompanies(compiled, trace, companies, plan, dist, held, factorList, entry)
    if (entry === compiled.steps) break
    if (signal) signal.throwIfAborted()
    if (onProgress && entry % progressEvery === 0) onProgress(entry / compiled.steps)
    const out = entry + 1

    for (let f = 0; f < factorList.length; f++) {
      const factor = factorList[f]!
      stepFactor(compiled, trace, factor, organic[factor.market]!, shares, held, out, scratch)
    }
    if (plan.sweeps.length > 0) {
      runSweeps(
        compiled,
        trace,
        state,
        dist,
        spare,
        organic,
        shares,
        weights,
        held,
        hazardSum,
        hazardMass,
        out,
      )
      // Each sweep swaps the two buffers.
      if (plan.sweeps.length % 2 === 1) {
        const swept = spare
        spare = dist
        dist = swept
      }
    }
    for (let product = 0; product < productCount; product++) {
      trace.churnHazard[product * entries + out] =
        hazardMass[product]! > 0 ? hazardSum[product]! / hazardMass[product]! : churn[product]!
    }
  }
  finishCompanies(compiled, trace)
  if (onProgress) onProgress(1)
  return trace
}

/**
 * The sweeps of one step over the joint distribution (in `dist`, with `spare` as the other
 * buffer; after an odd number of sweeps the result is in `spare`). Kept out of the step loop:
 * boards without linked markets never call it, and the loop compiles leaner.
 */
function runSweeps(
  compiled: CompiledModel,
  trace: Trace,
  state: PlanState,
  dist: Float64Array,
  spare: Float64Array,
  organic: Float64Array,
  shares: Float64Array,
  weights: Float64Array,
  held: Float64Array,
  hazardSum: Float64Array,
  hazardMass: Float64Array,
  out: number,
): void {
  const plan = state.plan
  const dt = compiled.stepDays
  const appeal = compiled.appeal
  const ne = compiled.model.networkEffect
  const pull = compiled.model.ecosystemPull
  const sweeps = plan.sweeps
  for (let s = 0; s < sweeps.length; s++) {
    const sweep = sweeps[s]!
    const prob = state.branchProb[s]!
    const rowMass = state.rowMass[s]!
    const rowStart = sweep.rowStart
    const rowKind = sweep.rowKind
    const candidates = sweep.candidates
    const n = candidates.length
    const o = organic[plan.markets[sweep.coord]!]!
    for (let u = 0; u < n; u++) {
      const product = candidates[u]!
      weights[u] = ne === 0 ? appeal[product]! : appeal[product]! * Math.exp(ne * shares[product]!)
    }
    for (let r = 0, rows = rowKind.length; r < rows; r++) {
      const b = rowStart[r]!
      const kind = rowKind[r]!
      // Out-of-reach and holder rows were filled by preparePlan.
      if (kind === RowKind.None) {
        const funnelTotal = sweep.rowFunnelTotal[r]!
        const total = funnelTotal + o
        if (total <= 0) {
          prob[b] = 1
          for (let u = 0; u < n; u++) prob[b + 1 + u] = 0
          continue
        }
        const adopt = -Math.expm1(-total * dt)
        prob[b] = 1 - adopt
        let weightTotal = 0
        if (pull !== 0 && n > 1) {
          const rowPull = sweep.rowPull
          for (let u = 0; u < n; u++) weightTotal += weights[u]! * rowPull[r * n + u]!
          for (let u = 0; u < n; u++) {
            const w = weights[u]! * rowPull[r * n + u]!
            prob[b + 1 + u] =
              (adopt * (sweep.rowFunnel[r * n + u]! + (o * w) / weightTotal)) / total
          }
        } else {
          for (let u = 0; u < n; u++) weightTotal += weights[u]!
          for (let u = 0; u < n; u++) {
            prob[b + 1 + u] =
              (adopt * (sweep.rowFunnel[r * n + u]! + (o * weights[u]!) / weightTotal)) / total
          }
        }
      }
    }
    const input = dist
    const output = spare
    if (sweep.outSize > 64) output.fill(0, 0, sweep.outSize)
    else for (let i = 0, size = sweep.outSize; i < size; i++) output[i] = 0
    applySweep(input, output, sweep, prob, rowMass)
    dist = output
    spare = input
    accountSweep(compiled, trace, sweep, prob, rowMass, held, o, hazardSum, hazardMass, out)
  }
}

/**
 * The hot loop: moves every state's mass along its row's branches, row by row (a row's branch
 * probabilities are loaded once), and sums each row's mass for the bookkeeping.
 */
function applySweep(
  input: Float64Array,
  output: Float64Array,
  sweep: Sweep,
  prob: Float64Array,
  rowMass: Float64Array,
): void {
  const rowStart = sweep.rowStart
  const groupStart = sweep.groupStart
  const groupIndex = sweep.groupIndex
  const first = sweep.groupFirst
  const second = sweep.groupSecond
  const rows = rowMass.length
  for (let r = 0; r < rows; r++) {
    const start = rowStart[r]!
    const branches = rowStart[r + 1]! - start
    const end = groupStart[r + 1]!
    const p0 = prob[start]!
    let sum = 0
    // Most rows have two branches (stay / drop, or stay / adopt the only product), the
    // out-of-reach rows one.
    if (branches === 2) {
      const p1 = prob[start + 1]!
      for (let k = groupStart[r]!; k < end; k++) {
        const mass = input[groupIndex[k]!]!
        if (mass < PRUNE_EPSILON) continue
        sum += mass
        output[first[k]!]! += mass * p0
        output[second[k]!]! += mass * p1
      }
    } else if (branches === 1) {
      for (let k = groupStart[r]!; k < end; k++) {
        const mass = input[groupIndex[k]!]!
        if (mass < PRUNE_EPSILON) continue
        sum += mass
        output[first[k]!]! += mass * p0
      }
    } else {
      const base = sweep.groupBase
      const offsets = sweep.branchOffset
      const last = start + branches
      for (let k = groupStart[r]!; k < end; k++) {
        const mass = input[groupIndex[k]!]!
        if (mass < PRUNE_EPSILON) continue
        sum += mass
        output[first[k]!]! += mass * p0
        const at = base[k]!
        for (let b = start + 1; b < last; b++) output[at + offsets[b]!]! += mass * prob[b]!
      }
    }
    rowMass[r] = sum
  }
}

/** Books a sweep's flows (adoptions, churn, link flows, hazards) and the market's new holders. */
function accountSweep(
  compiled: CompiledModel,
  trace: Trace,
  sweep: Sweep,
  prob: Float64Array,
  rowMass: Float64Array,
  held: Float64Array,
  organic: number,
  hazardSum: Float64Array,
  hazardMass: Float64Array,
  out: number,
): void {
  const entries = trace.entries
  const scale = compiled.population / compiled.stepDays
  const candidates = sweep.candidates
  const n = candidates.length
  for (let u = 0; u < n; u++) held[candidates[u]!] = 0
  const rowStart = sweep.rowStart
  const branchDigit = sweep.branchDigit
  for (let r = 0, rows = rowMass.length; r < rows; r++) {
    const mass = rowMass[r]!
    if (mass === 0) continue
    const start = rowStart[r]!
    const end = rowStart[r + 1]!
    for (let b = start; b < end; b++) {
      const digit = branchDigit[b]!
      if (digit >= 1 && digit <= n) held[candidates[digit - 1]!]! += mass * prob[b]!
    }
    const kind = sweep.rowKind[r]!
    if (kind === RowKind.Held) {
      const product = sweep.rowProduct[r]!
      trace.churned[product * entries + out]! += mass * prob[start + 1]! * scale
      hazardSum[product]! += mass * compiled.churn[product]! * sweep.rowLock[r]!
      hazardMass[product]! += mass
    } else if (kind === RowKind.None) {
      const adopt = 1 - prob[start]!
      if (adopt <= 0) continue
      const total = sweep.rowFunnelTotal[r]! + organic
      for (let u = 0; u < n; u++) {
        const product = candidates[u]!
        const viaFunnel = (mass * adopt * sweep.rowFunnel[r * n + u]!) / total
        trace.adoptedFunnel[product * entries + out]! += viaFunnel * scale
        trace.adoptedOrganic[product * entries + out]! +=
          (mass * prob[start + 1 + u]! - viaFunnel) * scale
      }
      for (let i = sweep.rowLinkStart[r]!; i < sweep.rowLinkStart[r + 1]!; i++) {
        const link = sweep.rowLinks[i]!
        trace.linkFlow[link * entries + out]! +=
          ((mass * adopt * compiled.funnel[link]!) / total) * scale
      }
    }
  }
}

/** The products of each company, fixed for the run. */
interface CompanyTables {
  /** Products of company c are `products[start[c] .. start[c + 1]]`. */
  readonly start: Int32Array
  readonly products: Int32Array
}

function companyTables(compiled: CompiledModel): CompanyTables {
  const start = new Int32Array(compiled.companyCount + 1)
  for (let product = 0; product < compiled.productCount; product++) {
    start[compiled.productCompany[product]! + 1]! += 1
  }
  for (let c = 0; c < compiled.companyCount; c++) start[c + 1]! += start[c]!
  const fill = start.slice(0, compiled.companyCount)
  const products = new Int32Array(compiled.productCount)
  for (let product = 0; product < compiled.productCount; product++) {
    const c = compiled.productCompany[product]!
    products[fill[c]!] = product
    fill[c]! += 1
  }
  return { start, products }
}

function recordCompanies(
  compiled: CompiledModel,
  trace: Trace,
  tables: CompanyTables,
  plan: ExpectedPlan,
  dist: Float64Array,
  held: Float64Array,
  factorList: readonly MarketFactor[],
  entry: number,
): void {
  const entries = trace.entries
  let total = 0
  for (let index = 0, size = plan.size; index < size; index++) total += dist[index]!
  for (let company = 0; company < compiled.companyCount; company++) {
    let none = 0
    const list = plan.companyNone[company]!
    for (let i = 0; i < list.length; i++) none += dist[list[i]!]!
    // Isolated markets are independent factors: P(none of the company's products) multiplies.
    for (let f = 0; f < factorList.length; f++) {
      const factor = factorList[f]!
      const owners = factor.companies
      let holds = 0
      for (let d = 1; d < owners.length; d++) if (owners[d] === company) holds += factor.mass[d]!
      none *= 1 - holds
    }
    let products = 0
    for (let i = tables.start[company]!, end = tables.start[company + 1]!; i < end; i++) {
      products += held[tables.products[i]!]!
    }
    // Raw fractions for now; finishCompanies() turns them into people and depth in one pass.
    trace.companyUsers[company * entries + entry] = Math.max(0, total - none)
    trace.companyDepth[company * entries + entry] = products
  }
}

/**
 * Turns the raw company fractions recordCompanies() wrote (users as a fraction of the
 * population, products held as a fraction) into people and depth: the divisions run in one
 * tight pass instead of on every step.
 */
function finishCompanies(compiled: CompiledModel, trace: Trace): void {
  const users = trace.companyUsers
  const depth = trace.companyDepth
  const population = compiled.population
  for (let i = 0, n = users.length; i < n; i++) {
    const fraction = users[i]!
    depth[i] = fraction > 0 ? depth[i]! / fraction : 0
    users[i] = fraction * population
  }
}

function sameProducts(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
