import { readFile } from 'node:fs/promises'
import { UsageError } from './UsageError.js'

/**
 * Reads a file as text for the CLI.
 *
 * @param path - the file, or undefined when the argument is missing
 * @param what - what the argument is, for the message (e.g. `<model.json>`)
 * @returns the text
 * @throws {@link UsageError} naming the argument or the file
 */
export async function readText(path: string | undefined, what: string): Promise<string> {
  if (path === undefined) throw new UsageError(`missing ${what}`)
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`)
  }
}

/**
 * Reads and parses a JSON file for the CLI.
 *
 * @param path - the file, or undefined when the argument is missing
 * @param what - what the argument is, for the message (e.g. `<model.json>`)
 * @returns the parsed JSON
 * @throws {@link UsageError} when the file is missing, unreadable or not JSON
 */
export async function readJson(path: string | undefined, what: string): Promise<unknown> {
  const text = await readText(path, what)
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`)
  }
}
