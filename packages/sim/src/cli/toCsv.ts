import type { SimulationResult } from '../index.js'
import { csvQuote } from './toCsvTable.js'

function columns(prefix: string, group: object, out: [string, Float64Array][]): void {
  for (const [id, series] of Object.entries(group)) {
    for (const [name, values] of Object.entries(series as object)) {
      if (values instanceof Float64Array) out.push([`${prefix}.${id}.${name}`, values])
      else if (values && typeof values === 'object') {
        for (const [band, bandValues] of Object.entries(values as object)) {
          if (bandValues instanceof Float64Array) {
            out.push([`${prefix}.${id}.${name}.${band}`, bandValues])
          }
        }
      }
    }
  }
}

/**
 * Formats a result as CSV: one row per entry, a `day` column, then one column per series named
 * `products.<id>.<series>` (bands: `products.<id>.p10.<series>`), like the JSON paths.
 *
 * @param result - the simulation result
 * @returns the CSV text, ending in a newline
 */
export function toCsv(result: SimulationResult): string {
  const cols: [string, Float64Array][] = [['day', result.days]]
  columns('products', result.products, cols)
  columns('markets', result.markets, cols)
  columns('companies', result.companies, cols)
  columns('links', result.links, cols)
  const lines = [cols.map(([name]) => csvQuote(name)).join(',')]
  for (let k = 0; k < result.days.length; k++) {
    lines.push(cols.map(([, values]) => String(values[k])).join(','))
  }
  return `${lines.join('\n')}\n`
}
