import { useEditor, useValue } from 'tldraw'
import { formatCount, formatDays, formatShare } from '@/lib/format'
import type { ProductShape } from '@/lib/shapes/chainShapeTypes'
import { companyColorOf } from '@/lib/shapes/companyOf'
import { liveOutputFor } from '@/lib/sim/LiveOutput'
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
    const results = output.results.get()
    const agents = output.agents.get()
    const series = results?.products[shape.id]
    const at = output.dayIndex()
    const bands = agents.status === 'done' ? agents.results.products[shape.id] : undefined
    return series ? { series, at, day: results?.days[at] ?? 0, bands } : null
  }, [output, shape.id])
  const { w, h, name } = shape.props
  return (
    <div
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
        <span style={{ width: 10, height: 10, borderRadius: 5, background: color }} />
        <strong style={{ fontSize: 14 }}>{name}</strong>
      </div>
      {view ? (
        <>
          <div data-testid="product-users">
            users <strong>{formatCount(view.series.users[view.at] ?? 0)}</strong>
          </div>
          <div data-testid="product-share">
            share <strong>{formatShare(view.series.share[view.at] ?? 0)}</strong> · life{' '}
            <span data-testid="product-lifetime">{formatDays(view.series.expectedLifetime)}</span>
          </div>
          <Sparkline
            values={view.series.users}
            at={view.at}
            width={w - 22}
            height={Math.max(12, h - 70)}
            color={color}
            low={view.bands?.p10}
            high={view.bands?.p90}
          />
        </>
      ) : (
        <div style={{ color: '#868e96' }}>no numbers yet</div>
      )}
    </div>
  )
}
