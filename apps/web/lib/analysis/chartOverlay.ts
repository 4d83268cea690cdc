import { modelIdOfShape } from '@chainmap/board'
import type { ScenarioComparison, SimulationResult } from '@chainmap/sim'

/** Dash pattern of each compared scenario's lines, in comparison order (up to four). */
export const SCENARIO_DASHES = ['7 4', '2 3', '10 3 2 3', '4 4 1 4'] as const

/** A line of a chart shape, as the chart draws it live. */
export interface ChartLineRef {
  /** Shape id of the product (market-share charts) or company (users charts). */
  readonly id: string
  /** Its colour. */
  readonly color: string
}

/** A compared scenario's line for one of the chart's lines. */
export interface OverlayLine {
  readonly key: string
  readonly scenario: string
  readonly color: string
  readonly dash: string
  readonly values: ArrayLike<number>
}

/** A Monte Carlo band (p10 to p90, with the p50 line) for one of the chart's lines. */
export interface OverlayBand {
  readonly key: string
  readonly color: string
  readonly low: ArrayLike<number>
  readonly mid: ArrayLike<number> | undefined
  readonly high: ArrayLike<number>
}

/** What a chart draws over its live lines. */
export interface ChartOverlayData {
  readonly lines: readonly OverlayLine[]
  readonly bands: readonly OverlayBand[]
  /** Largest value drawn (a users chart scales its axis to include it). */
  readonly max: number
}

type Kind = 'market-share' | 'company-users'

function seriesOf(result: SimulationResult, kind: Kind, shapeId: string) {
  if (kind === 'market-share') {
    const series = result.products[modelIdOfShape(shapeId, 'product')]
    if (!series) return null
    return {
      values: series.share,
      p10: series.p10?.share,
      p50: series.p50?.share,
      p90: series.p90?.share,
    }
  }
  const series = result.companies[modelIdOfShape(shapeId, 'company')]
  if (!series) return null
  return {
    values: series.users,
    p10: series.p10?.users,
    p50: series.p50?.users,
    p90: series.p90?.users,
  }
}

function largest(values: ArrayLike<number>, max: number): number {
  let out = max
  for (let i = 0; i < values.length; i++) out = Math.max(out, values[i] ?? 0)
  return out
}

/**
 * What a chart shape draws over its live lines: each compared scenario's version of every line
 * (dashed, one pattern per scenario) and, after an agents run, the p10–p90 band with the p50
 * line of every line.
 *
 * @param kind - the chart's kind
 * @param lines - the chart's live lines (shape ids and colours)
 * @param comparison - the current comparison, if any
 * @param agents - the agents run's result with bands, if any
 */
export function chartOverlay(
  kind: Kind,
  lines: readonly ChartLineRef[],
  comparison: ScenarioComparison | null,
  agents: SimulationResult | null,
): ChartOverlayData {
  const overlay: OverlayLine[] = []
  const bands: OverlayBand[] = []
  let max = 0
  comparison?.scenarios.forEach((compared, index) => {
    for (const line of lines) {
      const series = seriesOf(compared.result, kind, line.id)
      if (!series) continue
      overlay.push({
        key: `${compared.scenario.name}:${line.id}`,
        scenario: compared.scenario.name,
        color: line.color,
        dash: SCENARIO_DASHES[index % SCENARIO_DASHES.length]!,
        values: series.values,
      })
      max = largest(series.values, max)
    }
  })
  if (agents) {
    for (const line of lines) {
      const series = seriesOf(agents, kind, line.id)
      if (!series?.p10 || !series.p90) continue
      bands.push({
        key: `band:${line.id}`,
        color: line.color,
        low: series.p10,
        mid: series.p50,
        high: series.p90,
      })
      max = largest(series.p90, max)
    }
  }
  return { lines: overlay, bands, max }
}
