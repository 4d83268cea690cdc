import { useRef } from 'react'
import { useEditor, useValue } from 'tldraw'
import { formatCount } from '@/lib/format'
import {
  COMPANY,
  type CompanyShape,
  PRODUCT,
  type ProductShape,
} from '@/lib/shapes/chainShapeTypes'
import type { ChartShape } from '@/lib/shapes/chartShapeType'
import { companyColorOf } from '@/lib/shapes/companyOf'
import { liveOutputFor } from '@/lib/sim/LiveOutput'
import { companySeriesOf, productSeriesOf } from '@/lib/sim/seriesOf'
import { ChartOverlay, useChartOverlay } from '../analysis/ChartOverlay'
import { setAttr, useDomReactor } from '../useDomReactor'
import { useOnScreen } from '../useOnScreen'

const PAD = { left: 44, right: 10, top: 28, bottom: 20 }
const MAX_POINTS = 200

interface Line {
  id: string
  name: string
  color: string
  values: ArrayLike<number>
}

function pointsOf(values: ArrayLike<number>, w: number, h: number, max: number): string {
  const n = values.length
  const step = Math.max(1, Math.floor(n / MAX_POINTS))
  const out: string[] = []
  for (let i = 0; i < n; i += step) {
    const x = PAD.left + (i / Math.max(1, n - 1)) * (w - PAD.left - PAD.right)
    const y = PAD.top + (1 - (values[i] ?? 0) / max) * (h - PAD.top - PAD.bottom)
    out.push(`${x.toFixed(1)},${y.toFixed(1)}`)
  }
  return out.join(' ')
}

/** The drawing of a chart shape: lines per product (market share) or per company (users). */
export function ChartBody({ shape }: { shape: ChartShape }) {
  const editor = useEditor()
  const output = liveOutputFor(editor)
  const { w, h, kind, market } = shape.props
  const visible = useOnScreen(shape.id)
  const view = useValue('chart lines', () => {
    const result = output.result.get()
    if (!result) return null
    const shapes = editor.getCurrentPageShapes()
    const lines: Line[] = []
    if (kind === 'market-share') {
      for (const s of shapes) {
        if (s.type !== PRODUCT) continue
        const product = s as ProductShape
        if (product.props.market !== market) continue
        const series = productSeriesOf(result, product.id)
        if (!series) continue
        lines.push({
          id: product.id,
          name: product.props.name,
          color: companyColorOf(editor, product.props.company),
          values: series.share,
        })
      }
    } else {
      for (const s of shapes) {
        if (s.type !== COMPANY) continue
        const company = s as CompanyShape
        const series = companySeriesOf(result, company.id)
        if (!series) continue
        lines.push({
          id: company.id,
          name: company.props.name,
          color: company.props.color || '#868e96',
          values: series.users,
        })
      }
    }
    const marketName = market
      ? (editor.getShape(market as never)?.props as { name?: string })?.name
      : ''
    return { lines, count: result.days.length, marketName }
  }, [editor, output, kind, market])
  // Compared scenarios and Monte Carlo bands (strategy analysis), drawn over the live lines.
  const overlay = useChartOverlay(kind, view?.lines)
  let max = 1
  if (view && kind === 'company-users') {
    for (const line of view.lines) {
      for (let i = 0; i < line.values.length; i++) max = Math.max(max, line.values[i] ?? 0)
    }
  }
  if (kind === 'company-users') max = Math.max(max, overlay.max)
  const title =
    kind === 'market-share'
      ? `Market share — ${view?.marketName || 'choose a market in the inspector'}`
      : 'Users per company'
  const playLine = useRef<SVGLineElement>(null)
  const count = view?.count ?? 0
  // The playhead line moves in the DOM directly: playing never re-renders the chart's lines.
  useDomReactor('chart playhead', () => {
    if (count < 2 || !visible.get()) return
    const x = PAD.left + (output.day.get() / (count - 1)) * (w - PAD.left - PAD.right)
    setAttr(playLine.current, 'x1', x.toFixed(1))
    setAttr(playLine.current, 'x2', x.toFixed(1))
  }, [count, w, output, visible])
  return (
    <svg
      width={w}
      height={h}
      data-testid="chart-shape"
      data-kind={kind}
      data-lines={view?.lines.length ?? 0}
      data-compared={overlay.lines.length}
      data-bands={overlay.bands.length}
    >
      <title>{title}</title>
      <rect width={w} height={h} rx={10} fill="white" stroke="#ced4da" />
      <text x={10} y={18} fontSize={13} fontWeight={700} fill="#343a40">
        {title}
      </text>
      <text x={PAD.left - 4} y={PAD.top + 4} fontSize={10} textAnchor="end" fill="#868e96">
        {kind === 'market-share' ? '100%' : formatCount(max)}
      </text>
      <text x={PAD.left - 4} y={h - PAD.bottom} fontSize={10} textAnchor="end" fill="#868e96">
        0
      </text>
      <line
        x1={PAD.left}
        y1={h - PAD.bottom}
        x2={w - PAD.right}
        y2={h - PAD.bottom}
        stroke="#dee2e6"
      />
      <ChartOverlay overlay={overlay} w={w} h={h} max={max} pad={PAD} />
      {view?.lines.map((line) => (
        <polyline
          key={line.id}
          points={pointsOf(line.values, w, h, max)}
          fill="none"
          stroke={line.color}
          strokeWidth={2}
        >
          <title>{line.name}</title>
        </polyline>
      ))}
      {count > 1 && (
        <line
          ref={playLine}
          data-testid="chart-playhead"
          y1={PAD.top}
          y2={h - PAD.bottom}
          stroke="#868e96"
          strokeDasharray="3 3"
        />
      )}
      {view && view.lines.length === 0 && (
        <text x={w / 2} y={h / 2} textAnchor="middle" fontSize={12} fill="#868e96">
          nothing to chart yet
        </text>
      )}
    </svg>
  )
}
