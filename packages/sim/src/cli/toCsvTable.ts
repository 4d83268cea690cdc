function cell(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
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
