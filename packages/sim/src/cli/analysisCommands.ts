import {
  compareScenarios,
  comparisonRows,
  type FitParameter,
  type FitTarget,
  fitAdoption,
  formatOutcome,
  goalSeek,
  parseOutcome,
  parseScenarios,
  sensitivity,
} from '../index.js'
import type { CliIo } from './cliIo.js'
import {
  engineFlags,
  type Flags,
  formatFlag,
  integerFlag,
  numberFlag,
  requiredFlag,
  textFlag,
} from './flags.js'
import { parseObservations } from './parseObservations.js'
import { readJson, readText } from './readInput.js'
import { toCsvTable } from './toCsvTable.js'
import { toJsonValue } from './toJsonValue.js'
import { UsageError } from './UsageError.js'

/** The strategy-analysis commands and the flags each accepts (besides `--format`). */
export const ANALYSIS_COMMANDS = {
  compare: ['engine', 'agents', 'seed', 'runs', 'day', 'series'],
  sensitivity: ['engine', 'agents', 'seed', 'runs', 'outcome', 'parameters', 'change', 'top'],
  'goal-seek': [
    'engine',
    'agents',
    'seed',
    'runs',
    'parameter',
    'outcome',
    'target',
    'min',
    'max',
    'at-most',
    'tolerance',
  ],
  fit: ['product', 'fit', 'target', 'max-iterations'],
} as const

/** Name of a strategy-analysis command. */
export type AnalysisCommand = keyof typeof ANALYSIS_COMMANDS

function list(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
}

function json(value: unknown): string {
  return `${JSON.stringify(toJsonValue(value))}\n`
}

/**
 * Runs one strategy-analysis command of the CLI and writes its output.
 *
 * @param command - `compare`, `sensitivity`, `goal-seek` or `fit`
 * @param files - the positional file arguments after the command
 * @param flags - parsed flags (already checked to belong to the command)
 * @param io - where output goes
 * @throws {@link UsageError}, `ModelError`, `AnalysisError` or `SimulationError` for bad input
 */
export async function runAnalysisCommand(
  command: AnalysisCommand,
  files: readonly string[],
  flags: Flags,
  io: CliIo,
): Promise<void> {
  const format = formatFlag(flags)
  const expected = command === 'sensitivity' || command === 'goal-seek' ? 1 : 2
  if (files.length > expected) throw new UsageError(`unexpected argument "${files[expected]}"`)
  const model = await readJson(files[0], '<model.json>')
  switch (command) {
    case 'compare': {
      const scenarios = parseScenarios(await readJson(files[1], '<scenarios.json>'))
      const day = numberFlag(flags, 'day')
      const comparison = compareScenarios(model, scenarios, {
        ...engineFlags(flags),
        ...(day !== undefined ? { day } : {}),
      })
      const rows = comparisonRows(comparison)
      if (format === 'csv') {
        io.out(
          toCsvTable(
            ['kind', 'id', 'measure', ...scenarios.map((scenario) => scenario.name)],
            rows.map((row) => [row.kind, row.id, row.measure, ...row.values]),
          ),
        )
        return
      }
      io.out(
        json({
          scenarios: comparison.scenarios.map((compared) => ({
            name: compared.scenario.name,
            overrides: compared.scenario.overrides,
            outcomes: compared.outcomes,
            ...(flags.series ? { result: compared.result } : {}),
          })),
          rows,
        }),
      )
      return
    }
    case 'sensitivity': {
      const outcome = parseOutcome(requiredFlag(flags, 'outcome'))
      const parameters = list(textFlag(flags, 'parameters'))
      const change = numberFlag(flags, 'change')
      const top = integerFlag(flags, 'top')
      const analysis = await sensitivity(model, outcome, {
        ...engineFlags(flags),
        ...(parameters ? { parameters } : {}),
        ...(change !== undefined ? { change } : {}),
      })
      const drivers = top === undefined ? analysis.drivers : analysis.drivers.slice(0, top)
      if (format === 'csv') {
        io.out(
          toCsvTable(
            ['parameter', 'base', 'low', 'high', 'outcome_low', 'outcome_high', 'swing'],
            drivers.map((d) => [
              d.parameter,
              d.base,
              d.low,
              d.high,
              d.outcomeLow,
              d.outcomeHigh,
              d.swing,
            ]),
          ),
        )
        return
      }
      io.out(json({ ...analysis, outcome: formatOutcome(outcome), drivers }))
      return
    }
    case 'goal-seek': {
      const outcome = parseOutcome(requiredFlag(flags, 'outcome'))
      const target = numberFlag(flags, 'target')
      if (target === undefined) throw new UsageError('missing --target')
      const min = numberFlag(flags, 'min')
      const max = numberFlag(flags, 'max')
      const tolerance = numberFlag(flags, 'tolerance')
      const found = goalSeek(
        model,
        {
          parameter: requiredFlag(flags, 'parameter'),
          outcome,
          target,
          direction: flags['at-most'] ? 'atMost' : 'atLeast',
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
          ...(tolerance !== undefined ? { tolerance } : {}),
        },
        engineFlags(flags),
      )
      if (format === 'csv') {
        io.out(
          toCsvTable(
            ['parameter', 'value', 'outcome', 'outcome_value', 'target', 'evaluations'],
            [
              [
                found.parameter,
                found.value,
                formatOutcome(outcome),
                found.outcomeValue,
                found.target,
                found.evaluations,
              ],
            ],
          ),
        )
        return
      }
      io.out(json({ ...found, outcome: formatOutcome(outcome) }))
      return
    }
    case 'fit': {
      const observedFile = files[1]
      const observed = parseObservations(
        await readText(observedFile, '<observed.csv|json>'),
        observedFile!,
      )
      const fit = list(textFlag(flags, 'fit')) as FitParameter[] | undefined
      const maxIterations = integerFlag(flags, 'max-iterations')
      const target = textFlag(flags, 'target') as FitTarget | undefined
      const result = fitAdoption(model, {
        product: requiredFlag(flags, 'product'),
        observed,
        ...(fit ? { fit } : {}),
        ...(target ? { target } : {}),
        ...(maxIterations !== undefined ? { maxIterations } : {}),
      })
      if (format === 'csv') {
        io.out(
          toCsvTable(
            ['name', 'value'],
            [
              ...Object.entries(result.parameters),
              ...Object.keys(result.parameters).map((path) => [
                `${path}.standardError`,
                // A path ends in the parameter's name (markets.<id>.p, products.<id>.churn).
                result.standardErrors[path.slice(path.lastIndexOf('.') + 1) as FitParameter] ??
                  Number.NaN,
              ]),
              ['target', result.target],
              ['rmse', result.rmse],
              ['rSquared', result.rSquared],
              ['iterations', result.iterations],
              ['starts', result.starts],
            ],
          ),
        )
        return
      }
      io.out(json(result))
      return
    }
  }
}
