import type { SimulationResult } from '@chainmap/sim'

function cell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/**
 * The result as CSV, one row per simulated day: `day`, then for each product its users, share
 * and expected lifetime, then each company's users. Column names use the model's names.
 */
export function resultsCsv(
  result: SimulationResult,
  names: { products: Record<string, string>; companies: Record<string, string> },
): string {
  const productIds = Object.keys(result.products).sort()
  const companyIds = Object.keys(result.companies).sort()
  const header = ['day']
  for (const id of productIds) {
    const name = names.products[id] ?? id
    header.push(`${name} users`, `${name} share`, `${name} expected lifetime (days)`)
  }
  for (const id of companyIds) header.push(`${names.companies[id] ?? id} company users`)
  const rows = [header.map(cell).join(',')]
  for (let k = 0; k < result.days.length; k++) {
    const row = [String(result.days[k])]
    for (const id of productIds) {
      const series = result.products[id]
      row.push(
        String(series?.users[k] ?? ''),
        String(series?.share[k] ?? ''),
        String(series?.expectedLifetime[k] ?? ''),
      )
    }
    for (const id of companyIds) row.push(String(result.companies[id]?.users[k] ?? ''))
    rows.push(row.join(','))
  }
  return `${rows.join('\n')}\n`
}
