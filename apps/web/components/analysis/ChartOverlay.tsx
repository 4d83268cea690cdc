import type { ScenarioComparison, SimulationResult } from '@chainmap/sim'
import { useMemo } from 'react'
import { useEditor, useValue } from 'tldraw'
import { analysisStateFor } from '@/lib/analysis/AnalysisState'
import { type ChartLineRef, type ChartOverlayData, chartOverlay } from '@/lib/analysis/chartOverlay'
import { liveOutputFor } from '@/lib/sim/LiveOutput'

const MAX_POINTS = 200
const EMPTY: ChartOverlayData = { lines: [], bands: [], max: 0 }

/**
 * What a chart shape draws over its live lines: compared scenarios (dashed) and the agents
 * run's p10–p90 bands with p50 lines. Empty until a comparison or an agents run exists.
 */
export function useChartOverlay(
  kind: 'market-share' | 'company-users',
  lines: readonly ChartLineRef[] | undefined,
): ChartOverlayData {
  const editor = useEditor()
  // The chart's lines are rebuilt on every playhead move; only their ids and colours matter here.
  const key = lines?.map((line) => `${line.id}:${line.color}`).join('|') ?? ''
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the lines' ids and colours
  const stable = useMemo(() => lines?.map(({ id, color }) => ({ id, color })), [key])
  return useValue('chart overlay', () => {
    const comparison = analysisStateFor(editor).comparison.get()
    const agents = liveOutputFor(editor).agents.get()
    const compared: ScenarioComparison | null =
      comparison.status === 'done' ? comparison.value : null
    const banded: SimulationResult | null = agents.status === 'done' ? agents.result : null
    if (!stable || (!compared && !banded)) return EMPTY
    return chartOverlay(kind, stable, compared, banded)
  }, [editor, kind, stable])
}

/** Props of {@link ChartOverlay}: the overlay and the chart's geometry. */
export interface ChartOverlayProps {
  overlay: ChartOverlayData
  w: number
  h: number
  /** The value at the top of the chart. */
  max: number
  pad: { left: number; right: number; top: number; bottom: number }
}

/** Draws a chart's overlay in the chart's coordinates (inside its `<svg>`). */
export function ChartOverlay({ overlay, w, h, max, pad }: ChartOverlayProps) {
  // Computed once per overlay and size, not on every playhead move of the chart.
  const drawn = useMemo(() => {
    const points = (values: ArrayLike<number>): string[] => {
      const n = values.length
      const step = Math.max(1, Math.floor(n / MAX_POINTS))
      const out: string[] = []
      for (let i = 0; i < n; i += step) {
        const x = pad.left + (i / Math.max(1, n - 1)) * (w - pad.left - pad.right)
        const y = pad.top + (1 - (values[i] ?? 0) / max) * (h - pad.top - pad.bottom)
        out.push(`${x.toFixed(1)},${y.toFixed(1)}`)
      }
      return out
    }
    return {
      bands: overlay.bands.map((band) => ({
        key: band.key,
        color: band.color,
        area: [...points(band.high), ...points(band.low).reverse()].join(' '),
        mid: band.mid ? points(band.mid).join(' ') : null,
      })),
      lines: overlay.lines.map((line) => ({ ...line, points: points(line.values).join(' ') })),
    }
  }, [overlay, w, h, max, pad.left, pad.right, pad.top, pad.bottom])
  if (drawn.lines.length === 0 && drawn.bands.length === 0) return null
  return (
    <g data-testid="chart-overlay">
      {drawn.bands.map((band) => (
        <g key={band.key} data-testid="chart-band">
          <polygon points={band.area} fill={band.color} opacity={0.15} />
          {band.mid && (
            <polyline
              data-testid="chart-p50"
              points={band.mid}
              fill="none"
              stroke={band.color}
              strokeWidth={1}
              opacity={0.8}
            />
          )}
        </g>
      ))}
      {drawn.lines.map((line) => (
        <polyline
          key={line.key}
          data-testid="chart-compared-line"
          data-scenario={line.scenario}
          points={line.points}
          fill="none"
          stroke={line.color}
          strokeWidth={1.5}
          strokeDasharray={line.dash}
        >
          <title>{line.scenario}</title>
        </polyline>
      ))}
    </g>
  )
}
