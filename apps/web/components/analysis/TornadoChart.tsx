import type { SensitivityResult } from '@chainmap/sim'
import { tornadoBars } from '@/lib/analysis/tornadoBars'

const WIDTH = 370
const LABEL = 150
const ROW = 20
const TOP = 16

/** Props of {@link TornadoChart}. */
export interface TornadoChartProps {
  result: SensitivityResult
  /** Formats an outcome value for the axis and tooltips. */
  format: (value: number) => string
  /** The parameter's label in the board's names. */
  labelOf: (parameter: string) => string
}

/**
 * The ten strongest drivers of an outcome as a tornado chart: each bar spans the outcome with the
 * parameter at −20 % (blue end) and at +20 % (orange end), around the board's value (the line).
 */
export function TornadoChart({ result, format, labelOf }: TornadoChartProps) {
  const tornado = tornadoBars(result)
  const plot = WIDTH - LABEL - 8
  const x = (value: number) => LABEL + ((value - tornado.min) / (tornado.max - tornado.min)) * plot
  const height = TOP + tornado.bars.length * ROW + 16
  return (
    <svg width={WIDTH} height={height} data-testid="tornado" data-bars={tornado.bars.length}>
      <title>Tornado chart: the ten strongest drivers</title>
      <text x={LABEL} y={11} fontSize={10} fill="#868e96">
        {format(tornado.min)}
      </text>
      <text x={WIDTH - 8} y={11} fontSize={10} fill="#868e96" textAnchor="end">
        {format(tornado.max)}
      </text>
      {tornado.bars.map((bar, index) => {
        const y = TOP + index * ROW
        const base = x(tornado.baseline)
        const low = x(bar.outcomeLow)
        const high = x(bar.outcomeHigh)
        return (
          <g key={bar.parameter} data-testid="tornado-bar" data-parameter={bar.parameter}>
            <title>
              {`${bar.parameter}: −20 % → ${format(bar.outcomeLow)}, +20 % → ${format(bar.outcomeHigh)}`}
            </title>
            <text x={LABEL - 4} y={y + 13} fontSize={10} textAnchor="end" fill="#343a40">
              {labelOf(bar.parameter).slice(0, 28)}
            </text>
            <rect
              x={Math.min(base, low)}
              y={y + 3}
              width={Math.max(1, Math.abs(low - base))}
              height={ROW - 6}
              fill="#4dabf7"
            />
            <rect
              x={Math.min(base, high)}
              y={y + 3}
              width={Math.max(1, Math.abs(high - base))}
              height={ROW - 6}
              fill="#ff922b"
            />
          </g>
        )
      })}
      <line
        x1={x(tornado.baseline)}
        y1={TOP - 2}
        x2={x(tornado.baseline)}
        y2={height - 14}
        stroke="#343a40"
      />
      <text x={x(tornado.baseline)} y={height - 3} fontSize={10} textAnchor="middle" fill="#343a40">
        board: {format(tornado.baseline)}
      </text>
    </svg>
  )
}
