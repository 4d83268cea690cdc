import { useRef } from 'react'
import { useEditor, useValue } from 'tldraw'
import type { ChainLinkShape } from '@/lib/shapes/chainShapeTypes'
import { linkSegment } from '@/lib/shapes/linkEnds'
import { LINK_MIN_WIDTH, linkDayView } from '@/lib/sim/dayViews'
import { liveOutputFor } from '@/lib/sim/LiveOutput'
import { setAttr, setText, useDomReactor } from '../useDomReactor'
import { useNumbersLegible, useOnScreen, useScreenPixel } from '../useOnScreen'

/**
 * The drawn arrow of a chain link; its stroke width follows the simulated flow. React draws the
 * segment when the link or its products move; the width and flow of the day shown are written
 * straight into the DOM as the playhead moves (only while the link is on screen).
 */
export function ChainLinkPath({ shape }: { shape: ChainLinkShape }) {
  const editor = useEditor()
  const output = liveOutputFor(editor)
  const segment = useValue('link segment', () => linkSegment(editor, shape), [editor, shape])
  const visible = useOnScreen(shape.id)
  const legible = useNumbersLegible()
  const pixel = useScreenPixel()
  // The width last drawn, and for which segment (a moved link starts afresh).
  const drawnWidth = useRef<{ width: number; segment: unknown } | null>(null)
  const group = useRef<SVGGElement>(null)
  const line = useRef<SVGLineElement>(null)
  const head = useRef<SVGPolygonElement>(null)
  const label = useRef<SVGTextElement>(null)
  const flow = useRef<SVGTSpanElement>(null)
  useDomReactor('link flow', () => {
    if (!segment) return
    const result = output.result.get()
    const day = result ? linkDayView(result, shape, output.day.get()) : null
    const width = day?.width ?? LINK_MIN_WIDTH
    setAttr(group.current, 'data-width', width.toFixed(2))
    if (!visible.get()) return
    if (legible.get()) setText(flow.current, day?.flowLabel ?? '')
    // A change of width under a screen pixel is invisible; skipping it saves a repaint.
    const last = drawnWidth.current
    if (last?.segment === segment && Math.abs(width - last.width) < pixel.get()) return
    drawnWidth.current = { width, segment }
    const arrow = arrowOf(segment, width)
    setAttr(line.current, 'stroke-width', width.toFixed(2))
    setAttr(head.current, 'points', arrow.head)
    setAttr(label.current, 'y', arrow.labelY.toFixed(1))
  }, [segment, output, shape, visible, legible, pixel])
  if (!segment) return null
  const { start, end } = segment
  const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }
  return (
    <g ref={group} data-testid="chain-link">
      <line
        ref={line}
        x1={start.x}
        y1={start.y}
        x2={end.x}
        y2={end.y}
        stroke="#343a40"
        strokeOpacity={0.75}
        strokeLinecap="round"
      />
      <polygon ref={head} fill="#343a40" />
      <text
        ref={label}
        x={mid.x}
        textAnchor="middle"
        fontSize={12}
        fill="#343a40"
        data-testid="link-label"
      >
        funnel {shape.props.funnel}/d · lock-in {shape.props.lockIn}
        <tspan ref={flow} />
      </text>
    </g>
  )
}

/** The arrow head and label height of a segment drawn `width` wide. */
function arrowOf(segment: NonNullable<ReturnType<typeof linkSegment>>, width: number) {
  const { start, end } = segment
  const angle = Math.atan2(end.y - start.y, end.x - start.x)
  const size = 10 + width
  const left = `${(end.x - size * Math.cos(angle - 0.45)).toFixed(1)},${(end.y - size * Math.sin(angle - 0.45)).toFixed(1)}`
  const right = `${(end.x - size * Math.cos(angle + 0.45)).toFixed(1)},${(end.y - size * Math.sin(angle + 0.45)).toFixed(1)}`
  return {
    head: `${end.x.toFixed(1)},${end.y.toFixed(1)} ${left} ${right}`,
    labelY: (start.y + end.y) / 2 - width / 2 - 6,
  }
}
