/** Props of {@link Sparkline}. */
export interface SparklineProps {
  values: readonly number[]
  /** Index drawn as a dot (the playhead). */
  at: number
  width: number
  height: number
  color: string
  /** Optional lower / upper band (p10 / p90). */
  low?: readonly number[] | undefined
  high?: readonly number[] | undefined
}

/** A tiny line chart of a series with the playhead marked and an optional band. */
export function Sparkline({ values, at, width, height, color, low, high }: SparklineProps) {
  if (values.length < 2) return <svg width={width} height={height} aria-hidden="true" />
  const max = Math.max(1e-9, ...values, ...(high ?? []))
  const x = (i: number) => (i / (values.length - 1)) * width
  const y = (v: number) => height - (v / max) * (height - 2) - 1
  const line = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')
  const band =
    low && high && low.length === values.length && high.length === values.length
      ? [
          ...high.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`),
          ...low.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).reverse(),
        ].join(' ')
      : null
  const dot = Math.min(Math.max(0, at), values.length - 1)
  return (
    <svg width={width} height={height} aria-hidden="true" style={{ display: 'block' }}>
      {band && <polygon points={band} fill={color} opacity={0.18} />}
      <polyline points={line} fill="none" stroke={color} strokeWidth={1.5} />
      <circle cx={x(dot)} cy={y(values[dot] ?? 0)} r={2.5} fill={color} />
    </svg>
  )
}
