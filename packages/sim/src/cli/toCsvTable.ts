/**
 * Quotes one CSV cell when it holds a quote, comma or newline (RFC 4180).
 *
 * @param text - the cell's text
 * @returns the text as it goes into the CSV
 */
export function csvQuote(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function cell(value: string | number): string {
  return csvQuote(typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value)
}

/**
 * Formats a table as CSV (RFC 4180 quoting; non-finite numbers, such as an infinite lifetime,
 * are empty cells).
 *
 * @param header - column names
 * @param rows - one array of cells per row
 * @returns the CSV text, ending in a newline
 */
export function toCsvTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\n')}\n`
}
