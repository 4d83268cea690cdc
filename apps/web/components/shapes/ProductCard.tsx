import { useRef } from 'react'
import { useEditor, useValue } from 'tldraw'
import type { ProductShape } from '@/lib/shapes/chainShapeTypes'
import { companyColorOf } from '@/lib/shapes/companyOf'
import { productDayView } from '@/lib/sim/dayViews'
import { liveOutputFor } from '@/lib/sim/LiveOutput'
import { productSeriesOf } from '@/lib/sim/seriesOf'
import { Sparkline } from '../Sparkline'
import { setAttr, setText, useDomReactor } from '../useDomReactor'
import { useNumbersLegible, useOnScreen } from '../useOnScreen'

/**
 * The body of a product shape: name, company colour, and its live numbers at the playhead.
 * React renders the card when its shape or the result changes; the numbers of the day shown
 * are written straight into the DOM as the playhead moves (and only while the card is on
 * screen and its text legible), so playing the timeline does not re-render every card.
 */
export function ProductCard({ shape }: { shape: ProductShape }) {
  const editor = useEditor()
  const output = liveOutputFor(editor)
  const color = useValue('product colour', () => companyColorOf(editor, shape.props.company), [
    editor,
    shape.props.company,
  ])
  const view = useValue('product series', () => {
    const result = output.result.get()
    const series = result ? productSeriesOf(result, shape.id) : undefined
    if (!result || !series) return null
    const agents = output.agents.get()
    const banded = agents.status === 'done' ? productSeriesOf(agents.result, shape.id) : undefined
    return {
      result,
      line: series.users,
      p10: banded?.p10?.users,
      p50: banded?.p50?.users,
      p90: banded?.p90?.users,
    }
  }, [output, shape.id])
  const visible = useOnScreen(shape.id)
  const legible = useNumbersLegible()
  const card = useRef<HTMLDivElement>(null)
  const users = useRef<HTMLElement>(null)
  const share = useRef<HTMLElement>(null)
  const lifetime = useRef<HTMLSpanElement>(null)
  useDomReactor('product numbers', () => {
    const day = view ? productDayView(view.result, shape.id, output.day.get()) : null
    // The data attributes stay current even off screen: tests and tools read them.
    setAttr(card.current, 'data-users', day?.usersExact ?? '')
    setAttr(card.current, 'data-share', day?.shareExact ?? '')
    if (!day || !visible.get() || !legible.get()) return
    setText(users.current, day.users)
    setText(share.current, day.share)
    setText(lifetime.current, day.lifetime)
  }, [view, output, shape.id, visible, legible])
  const { w, h, name } = shape.props
  return (
    <div
      ref={card}
      data-testid="product-shape"
      data-name={name}
      style={{
        width: w,
        height: h,
        boxSizing: 'border-box',
        border: `3px solid ${color}`,
        borderRadius: 10,
        background: 'white',
        padding: '6px 8px',
        display: 'flex',
        flexDirection: 'column',
        gap: 2,
        fontSize: 12,
        overflow: 'hidden',
      }}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <span
          style={{ width: 10, height: 10, borderRadius: 5, background: color, flexShrink: 0 }}
        />
        <strong style={{ fontSize: 14, whiteSpace: 'nowrap' }}>{name}</strong>
      </div>
      {view ? (
        <>
          <div>
            users <strong ref={users} data-testid="product-users" /> · share{' '}
            <strong ref={share} data-testid="product-share" />
          </div>
          <div>
            expected life <span ref={lifetime} data-testid="product-lifetime" />
          </div>
          <Sparkline
            values={view.line}
            at={output.day}
            visible={visible}
            width={w - 22}
            height={Math.max(12, h - 74)}
            color={color}
            low={view.p10}
            high={view.p90}
            mid={view.p50}
          />
        </>
      ) : (
        <div style={{ color: '#868e96' }}>no numbers yet</div>
      )}
    </div>
  )
}
