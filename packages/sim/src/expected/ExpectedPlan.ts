import type { CompiledModel } from '../engine/CompiledModel.js'
import { SimulationError } from '../engine/SimulationError.js'
import { expandMixedRadix } from './expandMixedRadix.js'
import { MAX_EXPECTED_STATES } from './limits.js'

/** Semantic value of "holds nothing in this market (but is in its reach)". */
export const NONE = -1
/** Semantic value of "is not in this market's reach". */
export const OUT_OF_REACH = -2

const OLD = 0
const EMPTY = { funnelInto: new Float64Array(0), companyHeld: new Int32Array(0) }
/** Up to this many active markets the sweep order is searched exhaustively. */
const MAX_ORDER_SEARCH = 12
const PAIR = 1
const NEW = 2

/** What a sweep row is: a person out of reach, holding a product, or holding nothing. */
export const RowKind = { OutOfReach: 0, Held: 1, None: 2 } as const
/** One of the {@link RowKind} values. */
export type RowKind = (typeof RowKind)[keyof typeof RowKind]

/** One distinct transition of a sweep: the market-local situation that fixes its probabilities. */
export interface SweepRow {
  /** What the person has in the swept market at the start of the step. */
  readonly kind: RowKind
  /** The held product (global index) for `Held`, else -1. */
  readonly product: number
  /** Π(1 − lockIn) over the lock-in partners held, for `Held`. */
  readonly lockFactor: number
  /** Funnel hazard per day into each launched product of the market, for `None`. */
  readonly funnelInto: Float64Array
  /** Products already held of the company of each launched product, for `None`. */
  readonly companyHeld: Int32Array
  /** Links whose source is held and target is in this market, for `None`. */
  readonly activeLinks: Int32Array
}

/** One pass that applies the transitions of one market to the joint distribution. */
export interface Sweep {
  /** Index of the swept coordinate (position in `ExpectedPlan.markets`). */
  readonly coord: number
  /** Size of the input array. */
  readonly inSize: number
  /** Size of the output array. */
  readonly outSize: number
  /** Row of each input index. */
  readonly rowOf: Int32Array
  /** Output index of each input index with the swept coordinate at digit 0. */
  readonly outBase: Int32Array
  /**
   * The input indices grouped by row (ascending within a row): row r owns positions
   * `groupStart[r] .. groupStart[r + 1]`. The hot loop walks rows, so each row's branch
   * probabilities stay in registers.
   */
  readonly groupStart: Int32Array
  /** Input index at each grouped position. */
  readonly groupIndex: Int32Array
  /** Output index along the row's first branch (stay), per grouped position. */
  readonly groupFirst: Int32Array
  /** Output index along the row's second branch (drop, or adopt the first product); -1 if none. */
  readonly groupSecond: Int32Array
  /** `outBase` per grouped position (rows with more than two branches). */
  readonly groupBase: Int32Array
  /** The distinct rows. */
  readonly rows: readonly SweepRow[]
  /** Branches of row r are `rowStart[r] .. rowStart[r + 1]`. */
  readonly rowStart: Int32Array
  /** Output offset of each branch. */
  readonly branchOffset: Int32Array
  /** New base digit of the swept coordinate along each branch. */
  readonly branchDigit: Int32Array
  /** Launched products of the swept market, in digit order (digit u + 1 is product `candidates[u]`). */
  readonly candidates: Int32Array
  /** `rows` flattened for the hot loop: kind of each row. */
  readonly rowKind: Int8Array
  /** Held product of each row (-1 unless `Held`). */
  readonly rowProduct: Int32Array
  /** Lock factor of each row (1 unless `Held`). */
  readonly rowLock: Float64Array
  /** Funnel into each candidate: `rowFunnel[r * candidates.length + u]`. */
  readonly rowFunnel: Float64Array
  /** Total funnel hazard of each row. */
  readonly rowFunnelTotal: Float64Array
  /** Company products held for each candidate: `rowCompanyHeld[r * candidates.length + u]`. */
  readonly rowCompanyHeld: Int32Array
  /** exp(ecosystemPull · rowCompanyHeld), the constant part of each choice weight. */
  readonly rowPull: Float64Array
  /** Active links of row r are `rowLinks[rowLinkStart[r] .. rowLinkStart[r + 1]]`. */
  readonly rowLinkStart: Int32Array
  /** Link indices of every row's active links, concatenated. */
  readonly rowLinks: Int32Array
}

interface Coordinate {
  mode: number
  size: number
  stride: number
}

/**
 * The joint state space of the expected engine for one set of launched products, and the
 * sweeps that advance it by one step. A person's state is one digit per active market
 * (a market with a launched product): 0 = nothing held, 1..n = the n launched products in
 * model order, n + 1 = out of reach (only when reach < population). Because each market's
 * transition reads the start-of-step digits of other markets, a market that is still read by a
 * later sweep is carried as an (old, new) pair until its last reader has been swept.
 */
export class ExpectedPlan {
  /** Active markets, one coordinate each. */
  readonly markets: readonly number[]
  /** Semantic value (product index, NONE or OUT_OF_REACH) of each digit of each coordinate. */
  readonly values: readonly Int32Array[]
  /** Number of digits of each coordinate. */
  readonly sizes: Int32Array
  /** Stride of each coordinate in the canonical layout. */
  readonly strides: Int32Array
  /** Number of canonical joint states. */
  readonly size: number
  /** The sweeps of one step, in order. */
  readonly sweeps: readonly Sweep[]
  /** Largest array any sweep reads or writes. */
  readonly maxSize: number
  /** Per company, the canonical states holding none of its products. */
  readonly companyNone: readonly Int32Array[]
  private readonly pairs: readonly { old: Int32Array; next: Int32Array; index: Int32Array }[]

  /**
   * @param compiled - the model
   * @param launched - 1 for each launched product
   * @param reads - for each market, the markets its transition reads (see `marketReads`)
   * @param joint - 1 for each market to carry as a coordinate (markets with a launched product
   *   that are not isolated); the others are factored out by the caller
   */
  constructor(
    compiled: CompiledModel,
    launched: Uint8Array,
    reads: readonly Set<number>[],
    joint: Uint8Array,
  ) {
    const markets: number[] = []
    const values: Int32Array[] = []
    for (let market = 0; market < compiled.marketCount; market++) {
      if (joint[market] !== 1) continue
      const products = (compiled.marketProducts[market] ?? []).filter((p) => launched[p] === 1)
      if (products.length === 0) continue
      markets.push(market)
      const digits = [NONE, ...products]
      if (compiled.reachFraction[market]! < 1) digits.push(OUT_OF_REACH)
      values.push(Int32Array.from(digits))
    }
    this.markets = markets
    this.values = values
    const count = markets.length
    this.sizes = Int32Array.from(values, (v) => v.length)
    this.strides = new Int32Array(count)
    let size = 1
    for (let c = count - 1; c >= 0; c--) {
      this.strides[c] = size
      size *= this.sizes[c]!
    }
    this.size = size
    if (size > MAX_EXPECTED_STATES) tooMany(size)
    this.pairs = values.map((_, c) => this.pairDigits(c))
    const coordOfMarket = new Map(markets.map((market, coord) => [market, coord]))
    const coordReads = markets.map((market) => {
      const read = new Set<number>()
      for (const source of reads[market]!) {
        const coord = coordOfMarket.get(source)
        if (coord !== undefined) read.add(coord)
      }
      return read
    })
    this.sweeps = this.buildSweeps(compiled, coordReads)
    this.maxSize = Math.max(size, ...this.sweeps.map((s) => Math.max(s.inSize, s.outSize)))
    this.companyNone = this.buildCompanyNone(compiled)
  }

  /** Digit of the product's market coordinate that stands for the product, or -1. */
  digitOf(coord: number, semantic: number): number {
    return this.values[coord]!.indexOf(semantic)
  }

  private buildSweeps(compiled: CompiledModel, reads: Set<number>[]): Sweep[] {
    const count = this.markets.length
    // readers[c]: bitmask of the coordinates whose transitions read coordinate c.
    const readers = new Int32Array(count)
    reads.forEach((read, x) => {
      for (const c of read) readers[c]! |= 1 << x
    })
    const modesAfter = (done: number) => {
      const modes = new Int32Array(count)
      for (let c = 0; c < count; c++) {
        if ((done & (1 << c)) === 0) modes[c] = OLD
        else modes[c] = (readers[c]! & ~done) !== 0 ? PAIR : NEW
      }
      return modes
    }
    const order = count <= MAX_ORDER_SEARCH ? this.bestOrder(readers) : this.greedyOrder(readers)
    // Refuse before building any sweep: each one allocates arrays as large as its layouts, so a
    // board whose last sweep is too large would otherwise spend a tenth of a second on the others.
    let swept = 0
    for (const coord of order) {
      const inSize = this.sizeAfter(swept, readers)
      swept |= 1 << coord
      const outSize = this.sizeAfter(swept, readers)
      if (inSize > MAX_EXPECTED_STATES || outSize > MAX_EXPECTED_STATES) {
        tooMany(Math.max(inSize, outSize))
      }
    }
    const sweeps: Sweep[] = []
    let done = 0
    for (const coord of order) {
      const inModes = modesAfter(done)
      done |= 1 << coord
      sweeps.push(this.buildSweep(compiled, coord, inModes, modesAfter(done), reads[coord]!))
    }
    return sweeps
  }

  /** Size of the layout after the coordinates in `done` have been swept. */
  private sizeAfter(done: number, readers: Int32Array): number {
    let size = 1
    for (let c = 0; c < readers.length; c++) {
      const base = this.sizes[c]!
      const pair = (readers[c]! & ~done) !== 0 && (done & (1 << c)) !== 0
      size *= pair ? base + 2 * this.productDigits(c) : base
    }
    return size
  }

  private productDigits(coord: number): number {
    let products = 0
    for (const value of this.values[coord]!) if (value >= 0) products++
    return products
  }

  /**
   * The sweep order minimising the summed size of the intermediate layouts (exact, by dynamic
   * programming over subsets of swept markets).
   */
  private bestOrder(readers: Int32Array): number[] {
    const count = readers.length
    const full = (1 << count) - 1
    const size = new Float64Array(full + 1)
    for (let done = 0; done <= full; done++) size[done] = this.sizeAfter(done, readers)
    const cost = new Float64Array(full + 1).fill(Number.POSITIVE_INFINITY)
    const last = new Int32Array(full + 1).fill(-1)
    cost[0] = 0
    for (let done = 1; done <= full; done++) {
      for (let c = 0; c < count; c++) {
        if ((done & (1 << c)) === 0) continue
        const before = done & ~(1 << c)
        const total = cost[before]! + size[before]! + size[done]!
        if (total < cost[done]!) {
          cost[done] = total
          last[done] = c
        }
      }
    }
    const order: number[] = []
    for (let done = full; done !== 0; done &= ~(1 << last[done]!)) order.unshift(last[done]!)
    return order
  }

  /** For boards with many active markets: repeatedly sweep whichever keeps the next layout smallest. */
  private greedyOrder(readers: Int32Array): number[] {
    const count = readers.length
    const order: number[] = []
    let done = 0
    while (order.length < count) {
      let best = -1
      let bestSize = Number.POSITIVE_INFINITY
      for (let c = 0; c < count; c++) {
        if ((done & (1 << c)) !== 0) continue
        const next = this.sizeAfter(done | (1 << c), readers)
        if (next < bestSize) {
          best = c
          bestSize = next
        }
      }
      order.push(best)
      done |= 1 << best
    }
    return order
  }

  private pairDigits(coord: number): { old: Int32Array; next: Int32Array; index: Int32Array } {
    const base = this.sizes[coord]!
    const values = this.values[coord]!
    const old: number[] = []
    const next: number[] = []
    for (let d = 0; d < base; d++) {
      old.push(d)
      next.push(d)
    }
    for (let d = 0; d < base; d++) {
      if (values[d]! < 0) continue
      old.push(0, d)
      next.push(d, 0)
    }
    const index = new Int32Array(base * base).fill(-1)
    old.forEach((o, i) => {
      index[o * base + next[i]!] = i
    })
    return { old: Int32Array.from(old), next: Int32Array.from(next), index }
  }

  private layout(modes: Int32Array): Coordinate[] {
    const coords: Coordinate[] = []
    for (let c = 0; c < modes.length; c++) {
      const base = this.sizes[c]!
      const pairs = base + 2 * (base - 1 - (this.values[c]![base - 1] === OUT_OF_REACH ? 1 : 0))
      coords.push({ mode: modes[c]!, size: modes[c] === PAIR ? pairs : base, stride: 0 })
    }
    let stride = 1
    for (let c = coords.length - 1; c >= 0; c--) {
      coords[c]!.stride = stride
      stride *= coords[c]!.size
    }
    return coords
  }

  private buildSweep(
    compiled: CompiledModel,
    coord: number,
    inModes: Int32Array,
    outModes: Int32Array,
    reads: Set<number>,
  ): Sweep {
    const count = this.markets.length
    const input = this.layout(inModes)
    const output = this.layout(outModes)
    const inSize = input.reduce((total, c) => total * c.size, 1)
    const outSize = output.reduce((total, c) => total * c.size, 1)
    const pairs = this.pairs
    const readList = [...reads].sort((a, b) => a - b)
    const base = this.sizes[coord]!
    const oldDigit = (c: number, digit: number) =>
      input[c]!.mode === PAIR ? pairs[c]!.old[digit]! : digit
    const outBase = expandMixedRadix(
      input.map((c) => c.size),
      (c, digit) => {
        if (c === coord) return 0
        const collapses = input[c]!.mode === PAIR && output[c]!.mode === NEW
        return (collapses ? pairs[c]!.next[digit]! : digit) * output[c]!.stride
      },
    )
    // Signature: the old digit of the swept market and of every market it reads, mixed radix.
    const weight = new Int32Array(count)
    let signatures = base
    weight[coord] = 1
    for (const c of readList) {
      weight[c] = signatures
      signatures *= this.sizes[c]!
    }
    const signatureOf = expandMixedRadix(
      input.map((c) => c.size),
      (c, digit) => weight[c]! * oldDigit(c, digit),
    )
    const keyOf = this.rowKeyer(compiled, coord, readList)
    const rowOfSignature = new Int32Array(signatures).fill(-1)
    const rowByKey = new Map<string, number>()
    const rows: SweepRow[] = []
    const oldDigits = new Int32Array(count)
    const rowOf = signatureOf
    for (let index = 0; index < inSize; index++) {
      const signature = signatureOf[index]!
      let row = rowOfSignature[signature]!
      if (row < 0) {
        let rest = signature
        oldDigits[coord] = rest % base
        rest = Math.floor(rest / base)
        for (const c of readList) {
          oldDigits[c] = rest % this.sizes[c]!
          rest = Math.floor(rest / this.sizes[c]!)
        }
        const key = keyOf(oldDigits)
        row = rowByKey.get(key) ?? -1
        if (row < 0) {
          row = rows.length
          rows.push(this.makeRow(compiled, coord, oldDigits, readList))
          rowByKey.set(key, row)
        }
        rowOfSignature[signature] = row
      }
      rowOf[index] = row
    }
    const rowStart = new Int32Array(rows.length + 1)
    const offsets: number[] = []
    const branchDigits: number[] = []
    const outStride = output[coord]!.stride
    const pair = pairs[coord]!
    rows.forEach((row, r) => {
      rowStart[r] = offsets.length
      const from = row.kind === RowKind.Held ? this.digitOf(coord, row.product) : 0
      const targets =
        row.kind === RowKind.OutOfReach
          ? [base - 1]
          : row.kind === RowKind.Held
            ? [from, 0]
            : Array.from({ length: row.funnelInto.length + 1 }, (_, u) => u)
      const start = row.kind === RowKind.OutOfReach ? base - 1 : from
      for (const to of targets) {
        const code = outModes[coord] === PAIR ? pair.index[start * base + to]! : to
        offsets.push(code * outStride)
        branchDigits.push(to)
      }
    })
    rowStart[rows.length] = offsets.length
    const candidates = this.values[coord]!.filter((value) => value >= 0)
    const n = candidates.length
    const rowFunnel = new Float64Array(rows.length * n)
    const rowCompanyHeld = new Int32Array(rows.length * n)
    const rowLinkStart = new Int32Array(rows.length + 1)
    const links: number[] = []
    rows.forEach((row, r) => {
      rowLinkStart[r] = links.length
      if (row.kind !== RowKind.None) return
      rowFunnel.set(row.funnelInto, r * n)
      rowCompanyHeld.set(row.companyHeld, r * n)
      links.push(...row.activeLinks)
    })
    rowLinkStart[rows.length] = links.length
    const branchOffset = Int32Array.from(offsets)
    // Counting sort of the input indices by row (stable, so ascending within each row).
    const groupStart = new Int32Array(rows.length + 1)
    for (let index = 0; index < inSize; index++) groupStart[rowOf[index]! + 1]! += 1
    for (let r = 0; r < rows.length; r++) groupStart[r + 1]! += groupStart[r]!
    const fill = groupStart.slice(0, rows.length)
    const groupIndex = new Int32Array(inSize)
    const groupFirst = new Int32Array(inSize)
    const groupSecond = new Int32Array(inSize)
    const groupBase = new Int32Array(inSize)
    for (let index = 0; index < inSize; index++) {
      const r = rowOf[index]!
      const at = fill[r]!
      fill[r] = at + 1
      const start = rowStart[r]!
      groupIndex[at] = index
      groupBase[at] = outBase[index]!
      groupFirst[at] = outBase[index]! + branchOffset[start]!
      groupSecond[at] =
        rowStart[r + 1]! - start > 1 ? outBase[index]! + branchOffset[start + 1]! : -1
    }
    return {
      coord,
      inSize,
      outSize,
      rowOf,
      outBase,
      groupStart,
      groupIndex,
      groupFirst,
      groupSecond,
      groupBase,
      rows,
      rowStart,
      branchOffset,
      branchDigit: Int32Array.from(branchDigits),
      candidates,
      rowKind: Int8Array.from(rows, (row) => row.kind),
      rowProduct: Int32Array.from(rows, (row) => row.product),
      rowLock: Float64Array.from(rows, (row) => row.lockFactor),
      rowFunnel,
      rowFunnelTotal: Float64Array.from(rows, (row) => row.funnelInto.reduce((a, b) => a + b, 0)),
      rowCompanyHeld,
      rowPull: Float64Array.from(rowCompanyHeld, (k) => Math.exp(compiled.model.ecosystemPull * k)),
      rowLinkStart,
      rowLinks: Int32Array.from(links),
    }
  }

  /**
   * A cheap key of the row a state falls in (what fixes its transition probabilities): the own
   * digit, plus the held lock-in partners (held rows) or the held funnel sources and company
   * counts (rows holding nothing). Two states with the same key share a row.
   */
  private rowKeyer(
    compiled: CompiledModel,
    coord: number,
    readList: readonly number[],
  ): (oldDigits: Int32Array) => string {
    const coordOf = (product: number) => {
      const c = this.markets.indexOf(compiled.productMarket[product]!)
      return readList.includes(c) ? c : -1
    }
    const values = this.values[coord]!
    const candidates = values.filter((value) => value >= 0)
    const partners = new Map<number, { coord: number; digit: number }[]>()
    for (const product of candidates) {
      const list: { coord: number; digit: number }[] = []
      for (let link = 0; link < compiled.linkCount; link++) {
        if (compiled.lockIn[link]! <= 0) continue
        const from = compiled.linkFrom[link]!
        const to = compiled.linkTo[link]!
        const partner = from === product ? to : to === product ? from : -1
        const c = partner < 0 ? -1 : coordOf(partner)
        if (c >= 0) list.push({ coord: c, digit: this.digitOf(c, partner) })
      }
      partners.set(product, list)
    }
    const funnels: { coord: number; digit: number }[] = []
    for (let link = 0; link < compiled.linkCount; link++) {
      if (compiled.funnel[link]! <= 0 || !candidates.includes(compiled.linkTo[link]!)) continue
      const c = coordOf(compiled.linkFrom[link]!)
      if (c >= 0) funnels.push({ coord: c, digit: this.digitOf(c, compiled.linkFrom[link]!) })
    }
    const companies = [...new Set(candidates.map((p) => compiled.productCompany[p]!))]
    const pull = compiled.model.ecosystemPull !== 0 && candidates.length > 1
    const companyDigits = companies.map((company) =>
      readList.flatMap((c) =>
        [...this.values[c]!.entries()]
          .filter(([, value]) => value >= 0 && compiled.productCompany[value] === company)
          .map(([digit]) => ({ coord: c, digit })),
      ),
    )
    return (oldDigits) => {
      const own = values[oldDigits[coord]!]!
      if (own === OUT_OF_REACH) return 'x'
      let key: string
      if (own >= 0) {
        key = `h${own}:`
        for (const p of partners.get(own)!) key += oldDigits[p.coord] === p.digit ? '1' : '0'
        return key
      }
      key = 'n'
      for (const f of funnels) key += oldDigits[f.coord] === f.digit ? '1' : '0'
      if (pull) {
        for (const list of companyDigits) {
          let count = 0
          for (const d of list) if (oldDigits[d.coord] === d.digit) count++
          key += `,${count}`
        }
      }
      return key
    }
  }

  private makeRow(
    compiled: CompiledModel,
    coord: number,
    oldDigits: Int32Array,
    readList: readonly number[],
  ): SweepRow {
    const own = this.values[coord]![oldDigits[coord]!]!
    const held: number[] = []
    for (const c of readList) {
      const value = this.values[c]![oldDigits[c]!]!
      if (value >= 0) held.push(value)
    }
    const empty = EMPTY
    if (own === OUT_OF_REACH) {
      return {
        kind: RowKind.OutOfReach,
        product: -1,
        lockFactor: 1,
        ...empty,
        activeLinks: empty.companyHeld,
      }
    }
    if (own >= 0) {
      let lockFactor = 1
      for (let link = 0; link < compiled.linkCount; link++) {
        const from = compiled.linkFrom[link]!
        const to = compiled.linkTo[link]!
        if ((from === own && held.includes(to)) || (to === own && held.includes(from))) {
          lockFactor *= 1 - compiled.lockIn[link]!
        }
      }
      return {
        kind: RowKind.Held,
        product: own,
        lockFactor,
        ...empty,
        activeLinks: empty.companyHeld,
      }
    }
    const candidates = this.values[coord]!.filter((value) => value >= 0)
    const funnelInto = new Float64Array(candidates.length)
    const activeLinks: number[] = []
    for (let link = 0; link < compiled.linkCount; link++) {
      const target = candidates.indexOf(compiled.linkTo[link]!)
      if (target < 0 || compiled.funnel[link]! <= 0) continue
      if (!held.includes(compiled.linkFrom[link]!)) continue
      funnelInto[target]! += compiled.funnel[link]!
      activeLinks.push(link)
    }
    const companyHeld = new Int32Array(candidates.length)
    if (compiled.model.ecosystemPull !== 0 && candidates.length > 1) {
      candidates.forEach((product, i) => {
        const company = compiled.productCompany[product]
        companyHeld[i] = held.filter((h) => compiled.productCompany[h] === company).length
      })
    }
    return {
      kind: RowKind.None,
      product: -1,
      lockFactor: 1,
      funnelInto,
      companyHeld,
      activeLinks: Int32Array.from(activeLinks),
    }
  }

  private buildCompanyNone(compiled: CompiledModel): Int32Array[] {
    const lists: Int32Array[] = []
    for (let company = 0; company < compiled.companyCount; company++) {
      const heldCount = expandMixedRadix(this.sizes, (c, digit) => {
        const value = this.values[c]![digit]!
        return value >= 0 && compiled.productCompany[value] === company ? 1 : 0
      })
      let none = 0
      for (let index = 0; index < heldCount.length; index++) if (heldCount[index] === 0) none++
      const list = new Int32Array(none)
      for (let index = 0, at = 0; index < heldCount.length; index++) {
        if (heldCount[index] === 0) list[at++] = index
      }
      lists.push(list)
    }
    return lists
  }
}

function tooMany(size: number): never {
  const count = size < 1e12 ? size.toLocaleString('en') : `about 10^${Math.floor(Math.log10(size))}`
  throw new SimulationError(
    'TOO_MANY_STATES',
    `the expected engine would carry ${count} joint holding states, more than its cap of ${MAX_EXPECTED_STATES.toLocaleString('en')}; use the agents engine (options.engine = 'agents') for a board this large`,
  )
}
