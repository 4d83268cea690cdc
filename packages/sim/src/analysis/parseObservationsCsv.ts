import Papa from 'papaparse'
import { AnalysisError } from './AnalysisError.js'
import type { Observation } from './fitAdoption.js'

const isNumber = (cell: string) => cell !== '' && Number.isFinite(Number(cell))

/**
 * Reads observed users over time from CSV text, as a spreadsheet exports or copies it: cells
 * separated by commas, semicolons or tabs (detected), quoted or not. With a header line, the
 * columns named `day` and `users` (any case, any order, other columns ignored) are read; without
 * one (the first line is all numbers), the first two columns are. Empty lines and lines starting
 * with `#` are skipped. Thousands separators (`1,234`) are not numbers here: use plain numbers.
 *
 * @param text - the CSV text
 * @returns the observations in file order (values are checked again by {@link fitAdoption})
 * @throws {@link AnalysisError} `BAD_OBSERVATIONS` naming the line and the cell that is wrong, a
 *   header without `day` and `users`, or text without data
 */
export function parseObservationsCsv(text: string): Observation[] {
  // The delimiter is guessed with comments and blank lines left out (they have no delimiter to
  // count); the rows are then read with them kept, so that a row's index is its line number.
  const { delimiter } = Papa.parse<string[]>(text, {
    comments: '#',
    skipEmptyLines: 'greedy',
    delimitersToGuess: [',', ';', '\t'],
    preview: 20,
  }).meta
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false })
  const rows = parsed.data
    .map((cells, index) => ({ cells: cells.map((cell) => cell.trim()), line: index + 1 }))
    .filter(({ cells }) => cells.some((cell) => cell !== '') && !cells[0]?.startsWith('#'))
  const first = rows[0]
  if (!first) throw new AnalysisError('BAD_OBSERVATIONS', 'no data: give lines of "day,users"')
  let dayColumn = 0
  let usersColumn = 1
  if (!first.cells.every(isNumber)) {
    const header = first.cells.map((cell) => cell.toLowerCase())
    dayColumn = header.indexOf('day')
    usersColumn = header.indexOf('users')
    if (dayColumn < 0 || usersColumn < 0) {
      throw new AnalysisError(
        'BAD_OBSERVATIONS',
        `line ${first.line}: a header needs "day" and "users" columns, got "${first.cells.join(', ')}"`,
      )
    }
    rows.shift()
  }
  if (rows.length === 0)
    throw new AnalysisError('BAD_OBSERVATIONS', 'no data lines after the header')
  const problems: string[] = []
  const observed = rows.map(({ cells, line }) => {
    const read = (column: number, name: string) => {
      const cell = cells[column] ?? ''
      if (!isNumber(cell)) problems.push(`line ${line}: ${name} "${cell}" is not a number`)
      return Number(cell)
    }
    return { day: read(dayColumn, 'day'), users: read(usersColumn, 'users') }
  })
  if (problems.length > 0) throw new AnalysisError('BAD_OBSERVATIONS', problems)
  return observed
}
