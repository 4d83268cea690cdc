import { AnalysisError } from '../analysis/AnalysisError.js'
import type { Observation } from '../analysis/fitAdoption.js'
import { parseObservationsCsv } from '../analysis/parseObservationsCsv.js'
import { UsageError } from './UsageError.js'

function fromCsv(text: string, file: string): Observation[] {
  try {
    return parseObservationsCsv(text)
  } catch (error) {
    if (!(error instanceof AnalysisError)) throw error
    throw new UsageError(error.problems.map((problem) => `${file}: ${problem}`).join('\n'))
  }
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
 * Parses observed users over time from a CSV (see {@link parseObservationsCsv}) or JSON (`[{ day, users }]` or `{ observed: [...] }`) text, chosen by the file
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
