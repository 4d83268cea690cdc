import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { ModelError, modelJsonSchema, parseModel, SimulationError, simulate } from '../index.js'
import { toCsv } from './toCsv.js'
import { toJsonValue } from './toJsonValue.js'

/** Where the CLI writes. */
export interface CliIo {
  /** Standard output. */
  readonly out: (text: string) => void
  /** Standard error. */
  readonly err: (text: string) => void
}

/** Exit code for bad input: an invalid model, unreadable JSON, or bad arguments. */
export const EXIT_BAD_INPUT = 2

const usage = `usage:
  chainmap-sim run <model.json> [--engine expected|agents] [--agents N] [--seed N] [--runs N] [--format json|csv]
  chainmap-sim validate <model.json>
  chainmap-sim schema`

class UsageError extends Error {}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text))
    throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`)
  return Number(text)
}

async function readModel(path: string | undefined): Promise<unknown> {
  if (path === undefined) throw new UsageError('missing <model.json>')
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`)
  }
}

/**
 * The `chainmap-sim` command line, as a function: parses `args` (without `node` and the script),
 * runs the command, and returns the exit code (0 ok, 2 bad input, 1 unexpected failure).
 *
 * @param args - command-line arguments
 * @param io - where output and errors go
 * @returns the process exit code
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        engine: { type: 'string' },
        agents: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        format: { type: 'string', default: 'json' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    const [command, file, ...extra] = positionals
    if (values.help) {
      io.out(`${usage}\n`)
      return 0
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
    if (command === 'schema') {
      io.out(`${JSON.stringify(modelJsonSchema(), null, 2)}\n`)
      return 0
    }
    if (command === 'validate') {
      const model = parseModel(await readModel(file))
      io.out(
        `valid: ${model.companies.length} companies, ${model.markets.length} markets, ${model.products.length} products, ${model.links.length} links\n`,
      )
      return 0
    }
    if (command === 'run') {
      const engine = values.engine
      if (engine !== undefined && engine !== 'expected' && engine !== 'agents') {
        throw new UsageError(`--engine must be expected or agents, got "${engine}"`)
      }
      if (values.format !== 'json' && values.format !== 'csv') {
        throw new UsageError(`--format must be json or csv, got "${values.format}"`)
      }
      const agents = integer('agents', values.agents)
      const seed = integer('seed', values.seed)
      const runs = integer('runs', values.runs)
      const result = simulate(await readModel(file), {
        ...(engine ? { engine } : {}),
        ...(agents !== undefined ? { agents } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(runs !== undefined ? { runs } : {}),
      })
      io.out(values.format === 'csv' ? toCsv(result) : `${JSON.stringify(toJsonValue(result))}\n`)
      return 0
    }
    throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`)
  } catch (error) {
    if (error instanceof ModelError) {
      io.err(`${error.message}\n`)
      return EXIT_BAD_INPUT
    }
    if (error instanceof UsageError || error instanceof SimulationError) {
      io.err(`chainmap-sim: ${error.message}\n${error instanceof UsageError ? usage : ''}\n`)
      return EXIT_BAD_INPUT
    }
    if (
      error instanceof TypeError &&
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.err(`chainmap-sim: ${error.message}\n${usage}\n`)
      return EXIT_BAD_INPUT
    }
    io.err(`chainmap-sim: ${(error as Error).stack ?? String(error)}\n`)
    return 1
  }
}
