import type { SimulationResult } from '@chainmap/sim'
import type { DaySample } from './BoardJob.js'

/** The indices of `days` that `sample` keeps, in order. */
export function sampledIndices(days: ArrayLike<number>, sample: DaySample): number[] {
  const kept: number[] = []
  for (let i = 0; i < days.length; i++) {
    const day = days[i] ?? 0
    if (sample.until !== undefined && day > sample.until) break
    kept.push(i)
  }
  if (sample.every <= 1) return kept
  const strided = kept.filter((_, k) => k % sample.every === 0)
  const last = kept[kept.length - 1]
  if (last !== undefined && strided[strided.length - 1] !== last) strided.push(last)
  return strided
}

function pick(value: unknown, indices: readonly number[]): unknown {
  if (value instanceof Float64Array) return Float64Array.from(indices, (i) => value[i] ?? 0)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, pick(inner, indices)]),
  )
}

/**
 * Keeps the days of `result` that `sample` asks for, in every series alike (bands included), so
 * a caller can ask for a long board's answer in a size the server allows.
 */
export function sampleResult(result: SimulationResult, sample: DaySample): SimulationResult {
  if (sample.every <= 1 && sample.until === undefined) return result
  return pick(result, sampledIndices(result.days, sample)) as SimulationResult
}

// A typed array serialises as {"<index>":<number>,…}: about 24 bytes an entry for full doubles.
const BYTES_PER_ENTRY = 24

/** Roughly how long `JSON.stringify(result)` would be, without building it. */
export function estimateJsonBytes(result: SimulationResult): number {
  let entries = 0
  const walk = (value: unknown): void => {
    if (value instanceof Float64Array) entries += value.length
    else if (value !== null && typeof value === 'object')
      for (const inner of Object.values(value)) walk(inner)
  }
  walk(result)
  return entries * BYTES_PER_ENTRY
}
