import { comparisonRows, type ScenarioComparison } from '@chainmap/sim'
import { SCENARIO_DASHES } from '@/lib/analysis/chartOverlay'
import { formatOutcomeValue } from '@/lib/analysis/formatOutcomeValue'
import type { OutcomeChoice } from '@/lib/analysis/outcomeChoices'

const MEASURES: Record<string, string> = {
  users: 'users',
  share: 'share',
  expectedLifetime: 'expected lifetime',
  depth: 'ecosystem depth',
}

const MEASURE_FORMATS: Record<string, OutcomeChoice['format']> = {
  share: 'share',
  expectedLifetime: 'days',
  depth: 'depth',
}

function format(measure: string, value: number): string {
  if (Number.isNaN(value)) return '—'
  return formatOutcomeValue(MEASURE_FORMATS[measure] ?? 'count', value)
}

/**
 * The outcomes of compared scenarios at the horizon, side by side: per company users and
 * ecosystem depth, per product users, share and expected lifetime. Chart shapes draw the same
 * scenarios as dashed lines, one dash pattern per scenario (the legend here).
 */
export function ComparisonView({ comparison }: { comparison: ScenarioComparison }) {
  const first = comparison.scenarios[0]
  if (!first) return null
  const names = {
    product: new Map(first.model.products.map((p) => [p.id, p.name || p.id])),
    company: new Map(first.model.companies.map((c) => [c.id, c.name || c.id])),
  }
  const rows = comparisonRows(comparison).filter((row) => row.kind !== 'market')
  // Companies first: the ecosystem question is about them.
  rows.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'company' ? -1 : 1))
  return (
    <div>
      <div style={{ fontSize: 11, color: '#495057', marginBottom: 4 }}>
        At day {first.outcomes.day}. On chart shapes:{' '}
        {comparison.scenarios.map((compared, index) => (
          <span key={compared.scenario.name} style={{ marginRight: 8, whiteSpace: 'nowrap' }}>
            <svg width={24} height={8} aria-hidden="true">
              <line
                x1={0}
                y1={4}
                x2={24}
                y2={4}
                stroke="#343a40"
                strokeWidth={2}
                strokeDasharray={SCENARIO_DASHES[index]}
              />
            </svg>{' '}
            {compared.scenario.name}
          </span>
        ))}
      </div>
      <table
        data-testid="comparison-table"
        style={{ width: '100%', borderCollapse: 'collapse', fontSize: 11 }}
      >
        <thead>
          <tr>
            <th style={{ textAlign: 'left' }} />
            {comparison.scenarios.map((compared) => (
              <th key={compared.scenario.name} style={{ textAlign: 'right' }}>
                {compared.scenario.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={`${row.kind}:${row.id}:${row.measure}`}
              data-testid="comparison-row"
              data-kind={row.kind}
              data-id={row.id}
              data-measure={row.measure}
              data-values={row.values.join(' ')}
              style={{ borderTop: '1px solid #f1f3f5' }}
            >
              <td>
                {(row.kind === 'company' ? names.company : names.product).get(row.id) ?? row.id}{' '}
                <span style={{ color: '#868e96' }}>{MEASURES[row.measure] ?? row.measure}</span>
              </td>
              {row.values.map((value, index) => (
                <td key={comparison.scenarios[index]?.scenario.name} style={{ textAlign: 'right' }}>
                  {format(row.measure, value)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
