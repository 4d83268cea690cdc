import { parseArgs } from 'node:util'
import {
  AnalysisError,
  ModelError,
  modelJsonSchema,
  parseModel,
  SimulationError,
  simulate,
} from '../index.js'
import { ANALYSIS_COMMANDS, type AnalysisCommand, runAnalysisCommand } from './analysisCommands.js'
import type { CliIo } from './cliIo.js'
import { engineFlags, formatFlag } from './flags.js'
import { readJson } from './readInput.js'
import { toCsv } from './toCsv.js'
import { toJsonValue } from './toJsonValue.js'
import { UsageError } from './UsageError.js'

export type { CliIo } from './cliIo.js'

/** Exit code for bad input: an invalid model, unreadable JSON, or bad arguments. */
export const EXIT_BAD_INPUT = 2

const usage = `usage:
  chainmap-sim run <model.json> [--engine expected|agents] [--agents N] [--seed N] [--runs N] [--format json|csv]
  chainmap-sim validate <model.json>
  chainmap-sim schema
  chainmap-sim compare <model.json> <scenarios.json> [--day N] [--series] [engine flags] [--format json|csv]
  chainmap-sim sensitivity <model.json> --outcome <kind:id[@day]> [--parameters a,b] [--change 0.2] [--top N] [engine flags] [--format json|csv]
  chainmap-sim goal-seek <model.json> --parameter <path> --outcome <kind:id[@day]> --target X [--min X] [--max X] [--at-most] [--tolerance X] [engine flags] [--format json|csv]
  chainmap-sim fit <model.json> <observed.csv|json> --product <id> [--fit p,q,reach,appeal,churn] [--target users|adoptions] [--max-iterations N] [--format json|csv]
engine flags: [--engine expected|agents] [--agents N] [--seed N] [--runs N]`

const RUN_FLAGS = ['engine', 'agents', 'seed', 'runs']

function isAnalysisCommand(command: string | undefined): command is AnalysisCommand {
  return command !== undefined && Object.hasOwn(ANALYSIS_COMMANDS, command)
}

/** Rejects flags that the command does not take, so a typo never silently does nothing. */
function checkFlags(command: string, values: Record<string, unknown>, allowed: readonly string[]) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || name === 'format' || name === 'help') continue
    if (!allowed.includes(name)) throw new UsageError(`--${name} does not apply to ${command}`)
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
        day: { type: 'string' },
        series: { type: 'boolean' },
        outcome: { type: 'string' },
        parameters: { type: 'string' },
        change: { type: 'string' },
        top: { type: 'string' },
        parameter: { type: 'string' },
        target: { type: 'string' },
        min: { type: 'string' },
        max: { type: 'string' },
        'at-most': { type: 'boolean' },
        tolerance: { type: 'string' },
        product: { type: 'string' },
        fit: { type: 'string' },
        'max-iterations': { type: 'string' },
      },
    })
    const [command, file, ...extra] = positionals
    if (values.help) {
      io.out(`${usage}\n`)
      return 0
    }
    if (isAnalysisCommand(command)) {
      checkFlags(command, values, ANALYSIS_COMMANDS[command])
      await runAnalysisCommand(command, positionals.slice(1), values, io)
      return 0
    }
    if (command !== undefined) checkFlags(command, values, command === 'run' ? RUN_FLAGS : [])
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
    if (command === 'schema') {
      io.out(`${JSON.stringify(modelJsonSchema(), null, 2)}\n`)
      return 0
    }
    if (command === 'validate') {
      const model = parseModel(await readJson(file, '<model.json>'))
      io.out(
        `valid: ${model.companies.length} companies, ${model.markets.length} markets, ${model.products.length} products, ${model.links.length} links\n`,
      )
      return 0
    }
    if (command === 'run') {
      const format = formatFlag(values)
      const options = engineFlags(values)
      const result = simulate(await readJson(file, '<model.json>'), options)
      io.out(format === 'csv' ? toCsv(result) : `${JSON.stringify(toJsonValue(result))}\n`)
      return 0
    }
    throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`)
  } catch (error) {
    if (error instanceof ModelError) {
      io.err(`${error.message}\n`)
      return EXIT_BAD_INPUT
    }
    if (
      error instanceof UsageError ||
      error instanceof SimulationError ||
      error instanceof AnalysisError
    ) {
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
