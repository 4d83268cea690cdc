import type { CompiledModel } from '../engine/CompiledModel.js'
import type { RunControl } from '../engine/RunControl.js'
import { SimulationError } from '../engine/SimulationError.js'
import type { Trace } from '../engine/Trace.js'
import { Sfc32 } from './Sfc32.js'

/** Bit of an agent's market byte: the agent has an entry in that market's eligible list. */
const LISTED = 0x80
/** Low bits of an agent's market byte: 0 = nothing held, 1..126 = local product, 127 = out of reach. */
const VALUE = 0x7f
const OUT_OF_REACH = 0x7f
/** Most products one market may have in the agents engine (the value must fit in 7 bits). */
export const MAX_AGENT_PRODUCTS_PER_MARKET = 126

/**
 * Candidates drawn before any is examined. Their state bytes are then read in tight loops of
 * independent loads, so the memory system overlaps the cache misses instead of serving one
 * candidate's at a time (the agents engine is memory-bound at a million agents).
 */
const BATCH = 128

const ADOPT_ORGANIC = -1
const DROP = -2

/**
 * A geometric gap: how many trials fail before the next success when each succeeds with
 * probability 1 − e^logQ (inversion of one uniform; no draw when every trial succeeds). Capped at
 * `cap` so the result stays a small integer: the hot loops then index typed arrays with int32
 * positions instead of doubles.
 */
function gap(rng: Sfc32, logQ: number, cap: number): number {
  if (logQ === Number.NEGATIVE_INFINITY) return 0
  const skip = Math.log(rng.nextOpen()) / logQ
  return skip < cap ? Math.floor(skip) | 0 : cap
}

/**
 * One seeded run of the agent-based engine. State is one byte per agent per market plus, per
 * market, a list of the agents that may adopt there (in reach, holding nothing; stale entries
 * are skipped and compacted away). Each step draws only candidate events: geometric skips over
 * the eligible list at the market's largest possible adoption hazard, and over all agents at a
 * product's base churn, each candidate then accepted with the ratio of its true probability
 * (thinning), so the work is proportional to events, not to agents × products × steps.
 */
export class AgentRun {
  private readonly compiled: CompiledModel
  private readonly agents: number
  private readonly markets: number
  private readonly scale: number
  private readonly rng: Sfc32
  /** One byte per agent per market, market-major: `state[market * agents + agent]`. */
  private readonly state: Uint8Array
  /**
   * Products of each company each agent holds, agent-major: `companyCount[agent * companies +
   * company]` (one cache line serves every company an organic pick weighs; a byte while there
   * are fewer than 256 markets, the most one agent can hold).
   */
  private readonly companyCount: Uint8Array | Uint16Array
  private readonly companies: number
  /** Scratch of the batched hot loops: candidate agents, their bytes, masks, company counts. */
  private readonly batchAgent = new Int32Array(BATCH)
  private readonly batchOwn = new Int32Array(BATCH)
  private readonly batchMask = new Int32Array(BATCH)
  private batchCount = new Int32Array(BATCH)
  private readonly lists: Int32Array[]
  private readonly listLength: Int32Array
  private readonly stale: Int32Array
  private readonly valueProduct: Int32Array
  private readonly productLocal: Int32Array
  private readonly launched: Uint8Array
  private readonly held: Float64Array
  private readonly marketHeld: Float64Array
  private readonly companyUsers: Float64Array
  private events = new Int32Array(3 * 4096)
  private eventCount = 0
  /** Checksum of {@link AgentRun.touch}'s loads, stored only so the JIT keeps those loads. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: write-only on purpose (see above)
  private touched = 0

  /**
   * @param compiled - the model
   * @param agents - simulated people (each stands for population / agents)
   * @param seed - PRNG seed
   * @param stream - run index, for independent streams from one seed
   */
  constructor(compiled: CompiledModel, agents: number, seed: number, stream: number) {
    this.compiled = compiled
    this.agents = agents
    this.markets = compiled.marketCount
    this.scale = compiled.population / agents
    this.rng = new Sfc32(seed, stream)
    const markets = this.markets
    this.valueProduct = new Int32Array(markets * 128).fill(-1)
    this.productLocal = new Int32Array(compiled.productCount)
    compiled.marketProducts.forEach((products, market) => {
      if (products.length > MAX_AGENT_PRODUCTS_PER_MARKET) {
        throw new SimulationError(
          'TOO_MANY_PRODUCTS',
          `market "${compiled.model.markets[market]!.id}" has ${products.length} products; the agents engine allows ${MAX_AGENT_PRODUCTS_PER_MARKET} per market`,
        )
      }
      products.forEach((product, i) => {
        this.productLocal[product] = i + 1
        this.valueProduct[market * 128 + i + 1] = product
      })
    })
    this.launched = new Uint8Array(compiled.productCount)
    this.held = new Float64Array(compiled.productCount)
    this.marketHeld = new Float64Array(markets)
    this.companyUsers = new Float64Array(compiled.companyCount)
    // Market-major planes: a market's candidates are drawn in increasing agent order, so its
    // sweep walks one plane forwards (cache- and prefetcher-friendly) instead of striding over
    // every agent's whole record.
    this.state = new Uint8Array(agents * markets)
    this.companies = compiled.companyCount
    const countLength = agents * compiled.companyCount
    this.companyCount = markets < 256 ? new Uint8Array(countLength) : new Uint16Array(countLength)
    this.lists = []
    this.listLength = new Int32Array(markets)
    this.stale = new Int32Array(markets)
    for (let market = 0; market < markets; market++) {
      const reach = compiled.reachFraction[market]!
      // Everyone in reach, then a geometric skip marks the out-of-reach ones: each agent is out
      // independently with probability 1 − reach, at a cost proportional to their number.
      const plane = market * agents
      this.state.fill(LISTED, plane, plane + agents)
      let inReach = agents
      if (reach < 1) {
        const logStay = Math.log(reach)
        const skip = () => (reach <= 0 ? 0 : Math.floor(Math.log(this.rng.nextOpen()) / logStay))
        for (let agent = skip(); agent < agents; agent += 1 + skip()) {
          this.state[plane + agent] = OUT_OF_REACH
          inReach--
        }
      }
      const list = new Int32Array(inReach)
      for (let agent = 0, n = 0; agent < agents; agent++) {
        if (this.state[plane + agent] === LISTED) list[n++] = agent
      }
      this.lists.push(list)
      this.listLength[market] = inReach
    }
  }

  /** Approximate bytes of state per agent (state bytes plus eligible-list capacity). */
  bytesPerAgent(): number {
    let bytes = this.state.byteLength + this.companyCount.byteLength
    for (const list of this.lists) bytes += list.byteLength
    return bytes / this.agents
  }

  /**
   * Runs every step, writing into `trace`.
   *
   * @param trace - where the series go
   * @param control - abort signal and progress
   * @param progress - maps this run's fraction done to the caller's overall fraction
   */
  run(trace: Trace, control: RunControl, progress: (fraction: number) => number): void {
    const compiled = this.compiled
    const steps = compiled.steps
    const progressEvery = Math.max(1, Math.floor(steps / 100))
    for (let entry = 0; entry <= steps; entry++) {
      for (let product = 0; product < compiled.productCount; product++) {
        if (compiled.launchStep[product] === entry) this.launch(product)
      }
      this.record(trace, entry)
      if (entry === steps) break
      control.signal?.throwIfAborted()
      if (control.onProgress && entry % progressEvery === 0) {
        control.onProgress(progress(entry / steps))
      }
      this.step(trace, entry + 1)
    }
  }

  private launch(product: number): void {
    this.launched[product] = 1
    const market = this.compiled.productMarket[product]!
    const wanted = this.compiled.initialUsers[product]! / this.scale
    let count = Math.floor(wanted)
    if (this.rng.next() < wanted - count) count++
    const list = this.lists[market]!
    const plane = market * this.agents
    const local = this.productLocal[product]!
    let tries = 64 * count + 1024
    while (count > 0 && tries-- > 0 && this.listLength[market]! > 0) {
      const agent = list[Math.floor(this.rng.next() * this.listLength[market]!)]!
      if ((this.state[plane + agent]! & VALUE) !== 0) continue
      this.adopt(agent, market, local)
      count--
    }
    for (let i = 0; count > 0 && i < this.listLength[market]!; i++) {
      const agent = list[i]!
      if ((this.state[plane + agent]! & VALUE) !== 0) continue
      this.adopt(agent, market, local)
      count--
    }
  }

  private record(trace: Trace, entry: number): void {
    const compiled = this.compiled
    const entries = trace.entries
    const scale = this.scale
    for (let product = 0; product < compiled.productCount; product++) {
      trace.productUsers[product * entries + entry] = this.held[product]! * scale
    }
    for (let market = 0; market < this.markets; market++) {
      trace.marketUsers[market * entries + entry] = this.marketHeld[market]! * scale
    }
    for (let company = 0; company < compiled.companyCount; company++) {
      let products = 0
      for (let product = 0; product < compiled.productCount; product++) {
        if (compiled.productCompany[product] === company) products += this.held[product]!
      }
      const users = this.companyUsers[company]!
      trace.companyUsers[company * entries + entry] = users * scale
      trace.companyDepth[company * entries + entry] = users > 0 ? products / users : 0
    }
    if (entry === 0) {
      for (let product = 0; product < compiled.productCount; product++) {
        trace.churnHazard[product * entries] = compiled.churn[product]!
      }
    }
  }

  private adopt(agent: number, market: number, local: number): void {
    const at = market * this.agents + agent
    const product = this.valueProduct[market * 128 + local]!
    const count = agent * this.companies + this.compiled.productCompany[product]!
    if (this.companyCount[count] === 0)
      this.companyUsers[this.compiled.productCompany[product]!]! += 1
    this.companyCount[count]! += 1
    this.state[at] = (this.state[at]! & LISTED) | local
    this.held[product]! += 1
    this.marketHeld[market]! += 1
    this.stale[market]! += 1
  }

  private drop(agent: number, market: number): void {
    const at = market * this.agents + agent
    const product = this.valueProduct[market * 128 + (this.state[at]! & VALUE)]!
    const listed = this.state[at]! & LISTED
    this.state[at] = listed
    this.held[product]! -= 1
    this.marketHeld[market]! -= 1
    const company = this.compiled.productCompany[product]!
    const count = agent * this.companies + company
    this.companyCount[count]! -= 1
    if (this.companyCount[count] === 0) this.companyUsers[company]! -= 1
    if (listed) {
      this.stale[market]! -= 1
    } else {
      this.lists[market]![this.listLength[market]!] = agent
      this.listLength[market]! += 1
      this.state[at] = LISTED
    }
  }

  /**
   * Reads, in one tight loop of independent loads, the state byte and company counts every
   * event of the step will update, so the misses overlap and the (order-dependent) updates
   * that follow hit the cache. The checksum is kept only so the loads are not optimised away.
   */
  private touch(events: Int32Array): void {
    const state = this.state
    const counts = this.companyCount
    const agents = this.agents
    const companies = this.companies
    let sum = 0
    for (let e = 0; e < this.eventCount; e += 4) {
      const agent = events[e]!
      sum += state[events[e + 1]! * agents + agent]! + counts[agent * companies]!
    }
    this.touched = sum
  }

  private pushEvent(agent: number, market: number, value: number, channel: number): void {
    if (this.eventCount + 4 > this.events.length) {
      const grown = new Int32Array(this.events.length * 2)
      grown.set(this.events)
      this.events = grown
    }
    const events = this.events
    events[this.eventCount++] = agent
    events[this.eventCount++] = market
    events[this.eventCount++] = value
    events[this.eventCount++] = channel
  }

  private step(trace: Trace, out: number): void {
    const compiled = this.compiled
    const dt = compiled.stepDays
    this.eventCount = 0
    for (let market = 0; market < this.markets; market++) this.adoptions(market)
    const held = this.held
    const drops = new Float64Array(compiled.productCount)
    const holders = Float64Array.from(held)
    for (let market = 0; market < this.markets; market++) {
      if (this.marketHeld[market]! > 0) this.churn(market)
    }
    const entries = trace.entries
    const perDay = this.scale / dt
    const events = this.events
    this.touch(events)
    for (let e = 0; e < this.eventCount; e += 4) {
      const agent = events[e]!
      const market = events[e + 1]!
      const value = events[e + 2]!
      const channel = events[e + 3]!
      if (channel === DROP) {
        const product =
          this.valueProduct[market * 128 + (this.state[market * this.agents + agent]! & VALUE)]!
        this.drop(agent, market)
        drops[product]! += 1
        trace.churned[product * entries + out]! += perDay
        continue
      }
      this.adopt(agent, market, value)
      const product = this.valueProduct[market * 128 + value]!
      if (channel === ADOPT_ORGANIC) {
        trace.adoptedOrganic[product * entries + out]! += perDay
      } else {
        trace.adoptedFunnel[product * entries + out]! += perDay
        trace.linkFlow[channel * entries + out]! += perDay
      }
    }
    for (let product = 0; product < compiled.productCount; product++) {
      const n = holders[product]!
      trace.churnHazard[product * entries + out] =
        n > 0 && drops[product]! < n
          ? -Math.log1p(-drops[product]! / n) / dt
          : compiled.churn[product]!
    }
    for (let market = 0; market < this.markets; market++) this.compact(market)
  }

  private adoptions(market: number): void {
    const compiled = this.compiled
    const candidates = (compiled.marketProducts[market] ?? []).filter((p) => this.launched[p] === 1)
    if (candidates.length === 0) return
    const reach = compiled.reach[market]!
    const organic =
      reach > 0
        ? compiled.p[market]! +
          (compiled.q[market]! * this.marketHeld[market]! * this.scale) / reach
        : 0
    const links: number[] = []
    // The largest funnel hazard anyone can have here: a person holds at most one product per
    // market, so per source market only its source product with the largest funnel total counts
    // (a tighter bound than the sum of every funnel means fewer rejected candidates).
    const fromProduct = new Map<number, number>()
    for (let link = 0; link < compiled.linkCount; link++) {
      const to = compiled.linkTo[link]!
      const from = compiled.linkFrom[link]!
      if (compiled.productMarket[to] !== market || compiled.funnel[link]! <= 0) continue
      if (this.launched[to] !== 1 || this.launched[from] !== 1) continue
      links.push(link)
      fromProduct.set(from, (fromProduct.get(from) ?? 0) + compiled.funnel[link]!)
    }
    const fromMarket = new Map<number, number>()
    for (const [from, funnel] of fromProduct) {
      const source = compiled.productMarket[from]!
      fromMarket.set(source, Math.max(fromMarket.get(source) ?? 0, funnel))
    }
    let funnelMax = 0
    for (const funnel of fromMarket.values()) funnelMax += funnel
    const hazardMax = organic + funnelMax
    if (hazardMax <= 0) return
    const dt = compiled.stepDays
    const candidateP = -Math.expm1(-hazardMax * dt)
    const logQ = Math.log1p(-candidateP)
    const ne = compiled.model.networkEffect
    const pull = compiled.model.ecosystemPull
    const usePull = pull !== 0 && candidates.length > 1
    const baseWeight = candidates.map((product) => {
      const users = this.marketHeld[market]!
      const share = users > 0 ? this.held[product]! / users : 0
      return compiled.appeal[product]! * Math.exp(ne * share)
    })
    const weight = new Float64Array(candidates.length)
    const agents = this.agents
    const companies = this.companies
    const companyCount = this.companyCount
    const candidateCompany = Int32Array.from(candidates, (p) => compiled.productCompany[p]!)
    const n = candidates.length
    const linkFromPlane = links.map((l) => compiled.productMarket[compiled.linkFrom[l]!]! * agents)
    const linkFromLocal = links.map((l) => this.productLocal[compiled.linkFrom[l]!]!)
    const linkFunnel = links.map((l) => compiled.funnel[l]!)
    const linkCount = links.length
    const active = new Int32Array(linkCount)
    // Acceptance ratio of a candidate by the set of funnel sources it holds (tabulated when small).
    let acceptByMask: Float64Array | undefined
    if (linkCount <= 12) {
      acceptByMask = new Float64Array(1 << linkCount)
      for (let mask = 0; mask < acceptByMask.length; mask++) {
        let funnel = 0
        for (let i = 0; i < linkCount; i++) if (mask & (1 << i)) funnel += linkFunnel[i]!
        acceptByMask[mask] = -Math.expm1(-(funnel + organic) * dt) / candidateP
      }
    }
    // Up to 30 links, the sources a candidate holds are read in the batched pass as a bit mask.
    const masked = linkCount <= 30
    const pullFactor = Float64Array.from({ length: this.markets + 1 }, (_, k) => Math.exp(pull * k))
    const state = this.state
    const plane = market * agents
    const list = this.lists[market]!
    const length = this.listLength[market]!
    const rng = this.rng
    const batch = this.batchAgent
    const own = this.batchOwn
    const masks = this.batchMask
    if (usePull && this.batchCount.length < BATCH * n) this.batchCount = new Int32Array(BATCH * n)
    const counts = this.batchCount
    let pos = gap(rng, logQ, length)
    while (pos < length) {
      // Draw a batch of candidates, read what they hold in tight loops, then decide each one.
      let count = 0
      while (count < BATCH && pos < length) {
        batch[count++] = list[pos]!
        pos += 1 + gap(rng, logQ, length)
      }
      for (let k = 0; k < count; k++) own[k] = state[plane + batch[k]!]! & VALUE
      for (let k = 0; k < count; k++) {
        if (own[k] !== 0) continue
        const agent = batch[k]!
        if (masked) {
          let mask = 0
          for (let i = 0; i < linkCount; i++) {
            if ((state[linkFromPlane[i]! + agent]! & VALUE) === linkFromLocal[i]) mask |= 1 << i
          }
          masks[k] = mask
        }
        if (usePull) {
          const base = agent * companies
          for (let c = 0; c < n; c++) counts[k * n + c] = companyCount[base + candidateCompany[c]!]!
        }
      }
      for (let k = 0; k < count; k++) {
        // Stale list entry: the agent adopted here since it was listed.
        if (own[k] !== 0) continue
        const agent = batch[k]!
        let funnel = 0
        let activeCount = 0
        let mask = 0
        for (let i = 0; i < linkCount; i++) {
          const holds = masked
            ? (masks[k]! & (1 << i)) !== 0
            : (state[linkFromPlane[i]! + agent]! & VALUE) === linkFromLocal[i]
          if (holds) {
            funnel += linkFunnel[i]!
            active[activeCount++] = i
            mask |= 1 << i
          }
        }
        const total = funnel + organic
        if (total < hazardMax) {
          const ratio =
            acceptByMask !== undefined ? acceptByMask[mask]! : -Math.expm1(-total * dt) / candidateP
          if (rng.next() >= ratio) continue
        }
        let pick = rng.next() * total
        if (pick < funnel) {
          for (let a = 0; a < activeCount; a++) {
            const i = active[a]!
            pick -= linkFunnel[i]!
            if (pick < 0 || a === activeCount - 1) {
              const link = links[i]!
              this.pushEvent(agent, market, this.productLocal[compiled.linkTo[link]!]!, link)
              break
            }
          }
          continue
        }
        let weightTotal = 0
        for (let c = 0; c < n; c++) {
          // The agent holds nothing here, so its count of the company's products is all elsewhere.
          const w = usePull ? baseWeight[c]! * pullFactor[counts[k * n + c]!]! : baseWeight[c]!
          weight[c] = w
          weightTotal += w
        }
        let choice = rng.next() * weightTotal
        let chosen = n - 1
        for (let c = 0; c < n; c++) {
          choice -= weight[c]!
          if (choice < 0) {
            chosen = c
            break
          }
        }
        this.pushEvent(agent, market, this.productLocal[candidates[chosen]!]!, ADOPT_ORGANIC)
      }
    }
  }

  /**
   * Churn candidates of one market: a geometric skip over all agents at the market's largest
   * base churn, then, for an agent holding product i there, acceptance with probability
   * (1 − e^(−churn_i·lock·Δ)) / (1 − e^(−maxChurn·Δ)).
   */
  private churn(market: number): void {
    const compiled = this.compiled
    const dt = compiled.stepDays
    const products = (compiled.marketProducts[market] ?? []).filter((p) => this.launched[p] === 1)
    let maxRate = 0
    for (const product of products) maxRate = Math.max(maxRate, compiled.churn[product]!)
    if (maxRate <= 0) return
    const candidateP = -Math.expm1(-maxRate * dt)
    const logQ = Math.log1p(-candidateP)
    // Per local value: base churn, and its lock-in partners as (market plane start, local,
    // 1 − lockIn).
    const rate = new Float64Array(128)
    const partnerStart = new Int32Array(129)
    const partnerMarket: number[] = []
    const partnerLocal: number[] = []
    const partnerFactor: number[] = []
    for (let local = 1; local < 128; local++) {
      partnerStart[local] = partnerMarket.length
      const product = this.valueProduct[market * 128 + local]!
      if (product < 0 || this.launched[product] !== 1) continue
      rate[local] = compiled.churn[product]!
      for (let link = 0; link < compiled.linkCount; link++) {
        if (compiled.lockIn[link]! <= 0) continue
        const from = compiled.linkFrom[link]!
        const to = compiled.linkTo[link]!
        const partner = from === product ? to : to === product ? from : -1
        if (partner < 0 || this.launched[partner] !== 1) continue
        partnerMarket.push(compiled.productMarket[partner]! * this.agents)
        partnerLocal.push(this.productLocal[partner]!)
        partnerFactor.push(1 - compiled.lockIn[link]!)
      }
    }
    partnerStart[128] = partnerMarket.length
    // Acceptance ratio by held product and the set of its lock-in partners held.
    const acceptStart = new Int32Array(128)
    const acceptList: number[] = []
    for (let local = 1; local < 128; local++) {
      acceptStart[local] = acceptList.length
      const first = partnerStart[local]!
      const partners = partnerStart[local + 1]! - first
      if (partners > 16) {
        throw new SimulationError(
          'TOO_MANY_PRODUCTS',
          'the agents engine allows at most 16 lock-in links per product',
        )
      }
      for (let mask = 0; mask < 1 << partners; mask++) {
        let factor = 1
        for (let i = 0; i < partners; i++) if (mask & (1 << i)) factor *= partnerFactor[first + i]!
        acceptList.push(-Math.expm1(-rate[local]! * factor * dt) / candidateP)
      }
    }
    const accept = Float64Array.from(acceptList)
    const state = this.state
    const agents = this.agents
    const plane = market * agents
    const rng = this.rng
    const batch = this.batchAgent
    const own = this.batchOwn
    const masks = this.batchMask
    let next = gap(rng, logQ, agents)
    while (next < agents) {
      // Draw a batch of candidates, read what they hold in tight loops, then decide each one.
      let count = 0
      while (count < BATCH && next < agents) {
        batch[count++] = next
        next += 1 + gap(rng, logQ, agents)
      }
      for (let k = 0; k < count; k++) own[k] = state[plane + batch[k]!]! & VALUE
      for (let k = 0; k < count; k++) {
        const local = own[k]!
        if (local === 0 || local === OUT_OF_REACH) continue
        const agent = batch[k]!
        const first = partnerStart[local]!
        let mask = 0
        for (let i = first, end = partnerStart[local + 1]!; i < end; i++) {
          if ((state[partnerMarket[i]! + agent]! & VALUE) === partnerLocal[i]) {
            mask |= 1 << (i - first)
          }
        }
        masks[k] = mask
      }
      for (let k = 0; k < count; k++) {
        const local = own[k]!
        if (local === 0 || local === OUT_OF_REACH) continue
        if (rng.next() >= accept[acceptStart[local]! + masks[k]!]!) continue
        this.pushEvent(batch[k]!, market, 0, DROP)
      }
    }
  }

  private compact(market: number): void {
    const length = this.listLength[market]!
    if (this.stale[market]! * 4 <= length || length < 64) return
    const list = this.lists[market]!
    const plane = market * this.agents
    let kept = 0
    for (let i = 0; i < length; i++) {
      const agent = list[i]!
      const at = plane + agent
      if ((this.state[at]! & VALUE) === 0) list[kept++] = agent
      else this.state[at] = this.state[at]! & VALUE
    }
    this.listLength[market] = kept
    this.stale[market] = 0
  }
}
