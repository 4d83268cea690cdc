import type { AdoptionFit, Observation } from '@chainmap/sim'
import { formatCount } from '@/lib/format'

const W = 370
const H = 150
const PAD = { left: 40, right: 8, top: 8, bottom: 18 }

/** The observed users (dots) with the fitted model's users (line) over them. */
export function FitChart({
  observed,
  fit,
}: {
  observed: readonly Observation[]
  fit: AdoptionFit
}) {
  const { days, users } = fit.series
  const lastDay = Math.max(days[days.length - 1] ?? 1, ...observed.map((o) => o.day))
  let max = 1
  for (const point of observed) max = Math.max(max, point.users)
  for (let i = 0; i < users.length; i++) max = Math.max(max, users[i] ?? 0)
  const x = (day: number) => PAD.left + (day / lastDay) * (W - PAD.left - PAD.right)
  const y = (value: number) => PAD.top + (1 - value / max) * (H - PAD.top - PAD.bottom)
  const step = Math.max(1, Math.floor(days.length / 200))
  const points: string[] = []
  for (let i = 0; i < days.length; i += step) {
    points.push(`${x(days[i] ?? 0).toFixed(1)},${y(users[i] ?? 0).toFixed(1)}`)
  }
  return (
    <svg width={W} height={H} data-testid="fit-chart" data-points={observed.length}>
      <title>Observed users and the fitted model</title>
      <rect width={W} height={H} fill="white" stroke="#dee2e6" />
      <text x={PAD.left - 4} y={PAD.top + 8} fontSize={10} textAnchor="end" fill="#868e96">
        {formatCount(max)}
      </text>
      <text x={PAD.left - 4} y={H - PAD.bottom} fontSize={10} textAnchor="end" fill="#868e96">
        0
      </text>
      <text x={W - PAD.right} y={H - 4} fontSize={10} textAnchor="end" fill="#868e96">
        day {lastDay}
      </text>
      <polyline
        data-testid="fit-line"
        points={points.join(' ')}
        fill="none"
        stroke="#1971c2"
        strokeWidth={2}
      />
      {observed.map((point) => (
        <circle
          key={`${point.day}:${point.users}`}
          data-testid="fit-observed"
          cx={x(point.day)}
          cy={y(point.users)}
          r={3}
          fill="#e8590c"
        />
      ))}
    </svg>
  )
}
