import type { ProductSeries, SimulationResult } from '@chainmap/sim'
import type { ChainLinkShape } from '@/lib/shapes/chainShapeTypes'
import { formatCount, formatDays, formatShare } from '../format'
import { linkSeriesOf, productSeriesOf } from './seriesOf'

// Playing the timeline shows a new day on every frame for every shape on the board. Formatting
// those numbers (and finding the largest flow for link widths) once per result and day, instead
// of once per frame and shape, keeps a 200-product board's frames cheap. Entries are filled on
// first use, so a result that is never played costs nothing, and they die with their result.

/** What a product card shows on one day, formatted. */
export interface ProductDayView {
  /** Users, compact ("1.2M"). */
  users: string
  /** Market share as a percentage. */
  share: string
  /** Expected remaining lifetime of a user ("45 d", "2.3 y"). */
  lifetime: string
  /** Users as a whole number (the card's `data-users`, read by tests and the benchmark). */
  usersExact: string
  /** Share with 6 decimals (the card's `data-share`). */
  shareExact: string
}

/** What a chain link shows on one day. */
export interface LinkDayView {
  /** Stroke width: {@link LINK_MIN_WIDTH} … {@link LINK_MAX_WIDTH}, by flow relative to the day's largest. */
  width: number
  /** The flow part of the label (" · flow 1.2k/d"). */
  flowLabel: string
}

/** Stroke width of a link with no flow. */
export const LINK_MIN_WIDTH = 2
/** Stroke width of the link with the day's largest flow. */
export const LINK_MAX_WIDTH = 14

interface Memo<T> {
  series: T
  days: Array<ProductDayView | LinkDayView | undefined>
}

interface ResultMemo {
  products: Map<string, Memo<ProductSeries> | null>
  links: Map<string, Memo<Float64Array> | null>
  maxFlow: Float64Array | null
}

const memos = new WeakMap<SimulationResult, ResultMemo>()

function memoOf(result: SimulationResult): ResultMemo {
  let memo = memos.get(result)
  if (!memo) {
    memo = { products: new Map(), links: new Map(), maxFlow: null }
    memos.set(result, memo)
  }
  return memo
}

/** A product's numbers on day index `at` of `result`, or null if the result has no such product. */
export function productDayView(
  result: SimulationResult,
  shapeId: string,
  at: number,
): ProductDayView | null {
  const memo = memoOf(result)
  let entry = memo.products.get(shapeId)
  if (entry === undefined) {
    const series = productSeriesOf(result, shapeId)
    entry = series ? { series, days: [] } : null
    memo.products.set(shapeId, entry)
  }
  if (!entry) return null
  const cached = entry.days[at] as ProductDayView | undefined
  if (cached) return cached
  const users = entry.series.users[at] ?? 0
  const share = entry.series.share[at] ?? 0
  const view: ProductDayView = {
    users: formatCount(users),
    share: formatShare(share),
    lifetime: formatDays(entry.series.expectedLifetime[at] ?? 0),
    usersExact: users.toFixed(0),
    shareExact: share.toFixed(6),
  }
  entry.days[at] = view
  return view
}

/** The largest link flow on each day of `result` (computed once per result). */
export function maxFlowByDay(result: SimulationResult): Float64Array {
  const memo = memoOf(result)
  if (!memo.maxFlow) {
    const max = new Float64Array(result.days.length)
    for (const link of Object.values(result.links)) {
      for (let day = 0; day < max.length; day++) {
        const flow = link.flow[day] ?? 0
        if (flow > (max[day] ?? 0)) max[day] = flow
      }
    }
    memo.maxFlow = max
  }
  return memo.maxFlow
}

/** A chain link's width and flow label on day index `at`, or null if the result lacks the link. */
export function linkDayView(
  result: SimulationResult,
  link: ChainLinkShape,
  at: number,
): LinkDayView | null {
  const memo = memoOf(result)
  const key = `${link.props.from}\u0000${link.props.to}`
  let entry = memo.links.get(key)
  if (entry === undefined) {
    const series = linkSeriesOf(result, link)
    entry = series ? { series: series.flow, days: [] } : null
    memo.links.set(key, entry)
  }
  if (!entry) return null
  const cached = entry.days[at] as LinkDayView | undefined
  if (cached) return cached
  const flow = entry.series[at] ?? 0
  const max = maxFlowByDay(result)[at] ?? 0
  const view: LinkDayView = {
    width:
      max > 0 ? LINK_MIN_WIDTH + (LINK_MAX_WIDTH - LINK_MIN_WIDTH) * (flow / max) : LINK_MIN_WIDTH,
    flowLabel: ` · flow ${formatCount(flow)}/d`,
  }
  entry.days[at] = view
  return view
}
