import type { Observation } from '../index.js'
import { UsageError } from './UsageError.js'

function fromCsv(text: string, file: string): Observation[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''))
  const dayColumn = header.indexOf('day')
  const usersColumn = header.indexOf('users')
  if (dayColumn < 0 || usersColumn < 0) {
    throw new UsageError(
      `${file}: the CSV header must have "day" and "users" columns, got "${lines[0] ?? ''}"`,
    )
  }
  return lines.slice(1).map((line, index) => {
    const cells = line.split(',').map((cell) => cell.trim())
    const read = (column: number, name: string) => {
      const cell = cells[column] ?? ''
      const value = Number(cell)
      if (cell === '' || !Number.isFinite(value)) {
        throw new UsageError(`${file}: line ${index + 2}: ${name} "${cell}" is not a number`)
      }
      return value
    }
    return { day: read(dayColumn, 'day'), users: read(usersColumn, 'users') }
  })
}

function fromJson(text: string, file: string): Observation[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`)
  }
  const list =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as { observed?: unknown }).observed
      : value
  if (!Array.isArray(list)) {
    throw new UsageError(`${file}: expected an array of { day, users } or { "observed": [...] }`)
  }
  // Values are checked by fitAdoption, which names the bad point.
  return list as Observation[]
}

/**
 * Parses observed users over time from a CSV (a header with `day` and `users` columns; `#` lines
 * are comments) or JSON (`[{ day, users }]` or `{ observed: [...] }`) text, chosen by the file
 * name ending in `.json`.
 *
 * @param text - the file's text
 * @param file - its name, for the choice and for messages
 * @returns the observations
 * @throws {@link UsageError} naming the file and line
 */
export function parseObservations(text: string, file: string): Observation[] {
  return file.toLowerCase().endsWith('.json') ? fromJson(text, file) : fromCsv(text, file)
}
