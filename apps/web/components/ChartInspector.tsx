import { useEditor, useValue } from 'tldraw'
import { MARKET, type MarketShape } from '@/lib/shapes/chainShapeTypes'
import { CHART, type ChartKind, type ChartShape } from '@/lib/shapes/chartShapeType'
import { panelStyle } from './panelStyle'

/** Picks what the selected chart shows. */
export function ChartInspector() {
  const editor = useEditor()
  const chart = useValue('inspected chart', () => {
    const only = editor.getOnlySelectedShape()
    return only?.type === CHART ? (only as ChartShape) : null
  }, [editor])
  const markets = useValue(
    'chart markets',
    () =>
      editor
        .getCurrentPageShapes()
        .filter((s): s is MarketShape => s.type === MARKET)
        .map((m) => ({ id: m.id, name: m.props.name })),
    [editor],
  )
  const readOnly = useValue('read-only', () => editor.getIsReadonly(), [editor])
  if (!chart) return null
  const update = (props: Partial<ChartShape['props']>) =>
    editor.updateShape<ChartShape>({ id: chart.id, type: CHART, props })
  return (
    <div data-testid="chart-inspector" style={{ ...panelStyle, top: 56, right: 8, width: 220 }}>
      <strong style={{ display: 'block', marginBottom: 6 }}>Chart</strong>
      <label style={{ display: 'block', marginBottom: 6 }}>
        <span style={{ display: 'block', fontSize: 11 }}>Shows</span>
        <select
          data-testid="chart-kind"
          value={chart.props.kind}
          disabled={readOnly}
          onChange={(event) => update({ kind: event.target.value as ChartKind })}
          style={{ width: '100%' }}
        >
          <option value="company-users">Users per company</option>
          <option value="market-share">Market share over time</option>
        </select>
      </label>
      {chart.props.kind === 'market-share' && (
        <label style={{ display: 'block' }}>
          <span style={{ display: 'block', fontSize: 11 }}>Market</span>
          <select
            data-testid="chart-market"
            value={chart.props.market}
            disabled={readOnly}
            onChange={(event) => update({ market: event.target.value })}
            style={{ width: '100%' }}
          >
            <option value="">— choose —</option>
            {markets.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  )
}
