import type { Series, SimulationResult } from '../result/SimulationResult.js'

type Group = Record<string, Record<string, unknown>>

function quantile(sorted: Float64Array, level: number): number {
  const position = (sorted.length - 1) * level
  const low = Math.floor(position)
  const high = Math.min(sorted.length - 1, low + 1)
  const a = sorted[low]!
  const b = sorted[high]!
  const fraction = position - low
  // Guards keep an infinite lifetime from turning into NaN (Infinity − Infinity, Infinity · 0).
  if (a === b || fraction === 0) return a
  if (!Number.isFinite(a) || !Number.isFinite(b)) return fraction < 0.5 ? a : b
  return a + (b - a) * fraction
}

/**
 * Combines runs of the same model into one result: every series becomes the mean across runs,
 * with `p10`, `p50` (the median) and `p90` (linear-interpolated percentiles across runs) beside it.
 *
 * @param runs - at least two results of the same model
 * @returns the combined result
 */
export function combineRuns(runs: readonly SimulationResult[]): SimulationResult {
  const first = runs[0]!
  const combineGroup = (pick: (result: SimulationResult) => Group): Group => {
    const combined: Group = {}
    for (const [id, series] of Object.entries(pick(first))) {
      const mean: Record<string, Series> = {}
      const p10: Record<string, Series> = {}
      const p50: Record<string, Series> = {}
      const p90: Record<string, Series> = {}
      for (const name of Object.keys(series)) {
        const all = runs.map((run) => pick(run)[id]![name] as Series)
        const length = all[0]!.length
        const m = new Float64Array(length)
        const lo = new Float64Array(length)
        const mid = new Float64Array(length)
        const hi = new Float64Array(length)
        const column = new Float64Array(runs.length)
        for (let k = 0; k < length; k++) {
          let sum = 0
          for (let r = 0; r < all.length; r++) {
            column[r] = all[r]![k]!
            sum += column[r]!
          }
          column.sort()
          m[k] = sum / all.length
          lo[k] = quantile(column, 0.1)
          mid[k] = quantile(column, 0.5)
          hi[k] = quantile(column, 0.9)
        }
        mean[name] = m
        p10[name] = lo
        p50[name] = mid
        p90[name] = hi
      }
      combined[id] = { ...mean, p10, p50, p90 }
    }
    return combined
  }
  return {
    engine: first.engine,
    runs: runs.length,
    days: first.days,
    products: combineGroup(
      (r) => r.products as unknown as Group,
    ) as unknown as SimulationResult['products'],
    markets: combineGroup(
      (r) => r.markets as unknown as Group,
    ) as unknown as SimulationResult['markets'],
    companies: combineGroup(
      (r) => r.companies as unknown as Group,
    ) as unknown as SimulationResult['companies'],
    links: combineGroup((r) => r.links as unknown as Group) as unknown as SimulationResult['links'],
  }
}
