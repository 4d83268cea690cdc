import type { Observation } from '@chainmap/sim'
import { ObservedCsvError } from './ObservedCsvError'

/**
 * Reads observed users over time from pasted or uploaded text: two columns, day and users,
 * separated by a comma, semicolon or tab (what spreadsheets copy). A first line that is not
 * numeric is a header; with a header, the columns named `day` and `users` are used (any order),
 * otherwise the first two. Empty lines and `#` comments are skipped; `1,234` style thousands
 * separators are not supported (use plain numbers).
 *
 * @param text - the CSV text
 * @returns observations in file order
 * @throws {@link ObservedCsvError} naming the line and the cell that is not a number
 */
export function parseObservedCsv(text: string): Observation[] {
  const lines = text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
  if (lines.length === 0) throw new ObservedCsvError('no data: paste lines of "day,users"')
  const split = (line: string) =>
    line.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'))
  let dayColumn = 0
  let usersColumn = 1
  const first = split(lines[0]!.line)
  if (first.some((cell) => cell !== '' && !Number.isFinite(Number(cell)))) {
    const header = first.map((cell) => cell.toLowerCase())
    if (header.includes('day') && header.includes('users')) {
      dayColumn = header.indexOf('day')
      usersColumn = header.indexOf('users')
    }
    lines.shift()
  }
  const observed = lines.map(({ line, number }) => {
    const cells = split(line)
    const read = (column: number, name: string) => {
      const cell = cells[column] ?? ''
      const value = Number(cell)
      if (cell === '' || !Number.isFinite(value)) {
        throw new ObservedCsvError(`line ${number}: ${name} "${cell}" is not a number`)
      }
      return value
    }
    return { day: read(dayColumn, 'day'), users: read(usersColumn, 'users') }
  })
  if (observed.length === 0) throw new ObservedCsvError('no data lines after the header')
  return observed
}
