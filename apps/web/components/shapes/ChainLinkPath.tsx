import { useEditor, useValue } from 'tldraw'
import { formatCount } from '@/lib/format'
import type { ChainLinkShape } from '@/lib/shapes/chainShapeTypes'
import { linkSegment } from '@/lib/shapes/linkEnds'
import { liveOutputFor } from '@/lib/sim/LiveOutput'
import { linkSeriesOf } from '@/lib/sim/seriesOf'

const MIN_WIDTH = 2
const MAX_WIDTH = 14

/** The drawn arrow of a chain link; its stroke width follows the simulated flow. */
export function ChainLinkPath({ shape }: { shape: ChainLinkShape }) {
  const editor = useEditor()
  const output = liveOutputFor(editor)
  const segment = useValue('link segment', () => linkSegment(editor, shape), [editor, shape])
  const flow = useValue('link flow', () => {
    const result = output.result.get()
    if (!result) return null
    const series = linkSeriesOf(result, shape)
    if (!series) return null
    const at = output.dayIndex()
    const here = series.flow[at] ?? 0
    let max = 0
    for (const link of Object.values(result.links)) max = Math.max(max, link.flow[at] ?? 0)
    return { here, max }
  }, [output, shape])
  if (!segment) return null
  const { start, end } = segment
  const width =
    flow && flow.max > 0 ? MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * (flow.here / flow.max) : MIN_WIDTH
  const angle = Math.atan2(end.y - start.y, end.x - start.x)
  const head = 10 + width
  const left = {
    x: end.x - head * Math.cos(angle - 0.45),
    y: end.y - head * Math.sin(angle - 0.45),
  }
  const right = {
    x: end.x - head * Math.cos(angle + 0.45),
    y: end.y - head * Math.sin(angle + 0.45),
  }
  const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }
  return (
    <g data-testid="chain-link" data-width={width.toFixed(2)}>
      <line
        x1={start.x}
        y1={start.y}
        x2={end.x}
        y2={end.y}
        stroke="#343a40"
        strokeOpacity={0.75}
        strokeWidth={width}
        strokeLinecap="round"
      />
      <polygon
        points={`${end.x},${end.y} ${left.x},${left.y} ${right.x},${right.y}`}
        fill="#343a40"
      />
      <text
        x={mid.x}
        y={mid.y - width / 2 - 6}
        textAnchor="middle"
        fontSize={12}
        fill="#343a40"
        data-testid="link-label"
      >
        funnel {shape.props.funnel}/d · lock-in {shape.props.lockIn}
        {flow ? ` · flow ${formatCount(flow.here)}/d` : ''}
      </text>
    </g>
  )
}
