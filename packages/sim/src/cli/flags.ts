import type { SimulateOptions } from '../index.js'
import { UsageError } from './UsageError.js'

/** Parsed command-line flags (`node:util` parseArgs values). */
export type Flags = Readonly<Record<string, string | boolean | undefined>>

/**
 * A string flag's value.
 *
 * @param flags - parsed flags
 * @param name - flag name without dashes
 * @returns its text, or undefined when absent
 */
export function textFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name]
  return typeof value === 'string' ? value : undefined
}

/**
 * A required string flag's value.
 *
 * @param flags - parsed flags
 * @param name - flag name without dashes
 * @returns its text
 * @throws {@link UsageError} when it is missing
 */
export function requiredFlag(flags: Flags, name: string): string {
  const value = textFlag(flags, name)
  if (value === undefined || value === '') throw new UsageError(`missing --${name}`)
  return value
}

/**
 * A non-negative integer flag.
 *
 * @param flags - parsed flags
 * @param name - flag name without dashes
 * @returns the number, or undefined when absent
 * @throws {@link UsageError} naming the flag when it is not a non-negative integer
 */
export function integerFlag(flags: Flags, name: string): number | undefined {
  const text = textFlag(flags, name)
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`)
  }
  return Number(text)
}

/**
 * A finite number flag.
 *
 * @param flags - parsed flags
 * @param name - flag name without dashes
 * @returns the number, or undefined when absent
 * @throws {@link UsageError} naming the flag when it is not a finite number
 */
export function numberFlag(flags: Flags, name: string): number | undefined {
  const text = textFlag(flags, name)
  if (text === undefined) return undefined
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`--${name} must be a number, got "${text}"`)
  }
  return value
}

/**
 * The `--format` flag.
 *
 * @param flags - parsed flags
 * @returns `json` (default) or `csv`
 * @throws {@link UsageError} for any other value
 */
export function formatFlag(flags: Flags): 'json' | 'csv' {
  const format = textFlag(flags, 'format') ?? 'json'
  if (format !== 'json' && format !== 'csv') {
    throw new UsageError(`--format must be json or csv, got "${format}"`)
  }
  return format
}

/**
 * The engine flags `--engine`, `--agents`, `--seed`, `--runs` as `simulate` options.
 *
 * @param flags - parsed flags
 * @returns the options (absent flags are left out)
 * @throws {@link UsageError} naming a bad flag
 */
export function engineFlags(flags: Flags): SimulateOptions {
  const engine = textFlag(flags, 'engine')
  if (engine !== undefined && engine !== 'expected' && engine !== 'agents') {
    throw new UsageError(`--engine must be expected or agents, got "${engine}"`)
  }
  const agents = integerFlag(flags, 'agents')
  const seed = integerFlag(flags, 'seed')
  const runs = integerFlag(flags, 'runs')
  return {
    ...(engine ? { engine } : {}),
    ...(agents !== undefined ? { agents } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(runs !== undefined ? { runs } : {}),
  }
}
