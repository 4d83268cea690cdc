import { useMemo, useRef } from 'react'
import type { Signal } from 'tldraw'
import { setAttr, useDomReactor } from './useDomReactor'
import { useScreenPixel } from './useOnScreen'

const MAX_POINTS = 120

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  values: ArrayLike<number>
  /** Index drawn as a dot (the playhead). */
  at: Signal<number>
  /** Whether the sparkline is on screen; off screen the dot waits until it is. */
  visible: Signal<boolean>
  width: number
  height: number
  color: string
  /** Optional lower / upper band (p10 / p90). */
  low?: ArrayLike<number> | undefined
  high?: ArrayLike<number> | undefined
  /** Optional median (p50) drawn as a thin dashed line inside the band. */
  mid?: ArrayLike<number> | undefined
}

/**
 * A tiny line chart of a series with the playhead marked and an optional band. The line is
 * computed once per series and size; moving the playhead only moves the dot, directly in the
 * DOM (no React render per frame).
 */
export function Sparkline({
  values,
  at,
  visible,
  width,
  height,
  color,
  low,
  high,
  mid,
}: SparklineProps) {
  const shape = useMemo(
    () => sparklineShape(values, width, height, low, high, mid),
    [values, width, height, low, high, mid],
  )
  const dot = useRef<SVGCircleElement>(null)
  const pixel = useScreenPixel()
  // Where the dot was last drawn, and for which line (a new line starts afresh).
  const drawn = useRef<{ x: number; y: number; line: unknown } | null>(null)
  useDomReactor('sparkline playhead', () => {
    if (!shape || !visible.get()) return
    const index = Math.min(Math.max(0, at.get()), values.length - 1)
    const x = shape.x(index)
    const y = shape.y(values[index] ?? 0)
    // Moves under a screen pixel are invisible; skipping them saves a repaint per frame.
    const last = drawn.current
    const step = pixel.get()
    if (last?.line === shape && Math.abs(x - last.x) < step && Math.abs(y - last.y) < step) return
    drawn.current = { x, y, line: shape }
    setAttr(dot.current, 'cx', x.toFixed(1))
    setAttr(dot.current, 'cy', y.toFixed(1))
  }, [shape, at, visible, values, pixel])
  if (!shape) return <svg width={width} height={height} aria-hidden="true" />
  return (
    <svg width={width} height={height} aria-hidden="true" style={{ display: 'block' }}>
      {shape.band && <polygon points={shape.band} fill={color} opacity={0.18} />}
      {shape.mid && (
        <polyline
          data-testid="sparkline-p50"
          points={shape.mid}
          fill="none"
          stroke={color}
          strokeWidth={1}
          strokeDasharray="2 2"
        />
      )}
      <polyline points={shape.line} fill="none" stroke={color} strokeWidth={1.5} />
      <circle ref={dot} data-testid="sparkline-dot" r={2.5} fill={color} />
    </svg>
  )
}

function sparklineShape(
  values: ArrayLike<number>,
  width: number,
  height: number,
  low: ArrayLike<number> | undefined,
  high: ArrayLike<number> | undefined,
  mid: ArrayLike<number> | undefined,
) {
  if (values.length < 2) return null
  const step = Math.max(1, Math.floor(values.length / MAX_POINTS))
  let max = 1e-9
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] ?? 0, high?.[i] ?? 0)
  const x = (i: number) => (i / (values.length - 1)) * width
  const y = (v: number) => height - (v / max) * (height - 2) - 1
  const points = (series: ArrayLike<number>) => {
    const out: string[] = []
    for (let i = 0; i < series.length; i += step) {
      out.push(`${x(i).toFixed(1)},${y(series[i] ?? 0).toFixed(1)}`)
    }
    const last = series.length - 1
    if (last % step !== 0) out.push(`${x(last).toFixed(1)},${y(series[last] ?? 0).toFixed(1)}`)
    return out
  }
  const line = points(values).join(' ')
  const band =
    low && high && low.length === values.length && high.length === values.length
      ? [...points(high), ...points(low).reverse()].join(' ')
      : null
  const median = mid && mid.length === values.length ? points(mid).join(' ') : null
  return { line, band, mid: median, x, y }
}
