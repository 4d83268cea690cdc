import { useEditor, useValue } from 'tldraw'
import { formatCount, formatDays, formatShare } from '@/lib/format'
import type { ProductShape } from '@/lib/shapes/chainShapeTypes'
import { companyColorOf } from '@/lib/shapes/companyOf'
import { liveOutputFor } from '@/lib/sim/LiveOutput'
import { productSeriesOf } from '@/lib/sim/seriesOf'
import { Sparkline } from '../Sparkline'

/** The body of a product shape: name, company colour, and its live numbers at the playhead. */
export function ProductCard({ shape }: { shape: ProductShape }) {
  const editor = useEditor()
  const output = liveOutputFor(editor)
  const color = useValue('product colour', () => companyColorOf(editor, shape.props.company), [
    editor,
    shape.props.company,
  ])
  const view = useValue('product numbers', () => {
    const result = output.result.get()
    const series = result ? productSeriesOf(result, shape.id) : undefined
    if (!result || !series) return null
    const at = output.dayIndex()
    const agents = output.agents.get()
    const banded = agents.status === 'done' ? productSeriesOf(agents.result, shape.id) : undefined
    return {
      users: series.users[at] ?? 0,
      share: series.share[at] ?? 0,
      lifetime: series.expectedLifetime[at] ?? 0,
      line: series.users,
      p10: banded?.p10?.users,
      p90: banded?.p90?.users,
      at,
    }
  }, [output, shape.id])
  const { w, h, name } = shape.props
  return (
    <div
      data-testid="product-shape"
      data-name={name}
      data-share={view ? view.share.toFixed(6) : ''}
      data-users={view ? view.users.toFixed(0) : ''}
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
            users <strong data-testid="product-users">{formatCount(view.users)}</strong> · share{' '}
            <strong data-testid="product-share">{formatShare(view.share)}</strong>
          </div>
          <div>
            expected life <span data-testid="product-lifetime">{formatDays(view.lifetime)}</span>
          </div>
          <Sparkline
            values={view.line}
            at={view.at}
            width={w - 22}
            height={Math.max(12, h - 74)}
            color={color}
            low={view.p10}
            high={view.p90}
          />
        </>
      ) : (
        <div style={{ color: '#868e96' }}>no numbers yet</div>
      )}
    </div>
  )
}
