import { CompiledModel } from './engine/CompiledModel.js'
import { SimulationError } from './engine/SimulationError.js'
import { runExpected } from './expected/runExpected.js'
import { parseModel } from './model/parseModel.js'
import type { SimulationResult } from './result/SimulationResult.js'
import { traceToResult } from './result/traceToResult.js'

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** `expected` (default): exact expectation; `agents`: seeded agent-based Monte Carlo. */
  engine?: 'expected' | 'agents'
  /** Simulated people for the agents engine (default 100,000); each stands for population / agents. */
  agents?: number
  /** Seed for the agents engine (default: the model's `seed`). */
  seed?: number
  /** Agent runs to average, with p10/p90 bands when > 1 (default 1; the expected engine ignores it). */
  runs?: number
  /** Aborts the run; `simulate` then throws the signal's reason. */
  signal?: AbortSignal
  /** Called with the fraction done, in [0, 1]. */
  onProgress?: (fraction: number) => void
}

/**
 * Simulates a model: validates the plain JSON like `parseModel`, then runs the chosen engine.
 *
 * @param model - the model as plain JSON (validated here)
 * @param options - engine and run options
 * @returns every series, aligned with `days`
 * @throws `ModelError` for an invalid model, `SimulationError` when the engine cannot run it
 */
export function simulate(model: unknown, options: SimulateOptions = {}): SimulationResult {
  const compiled = new CompiledModel(parseModel(model))
  const engine = options.engine ?? 'expected'
  const control = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  }
  if (engine === 'expected') return traceToResult(compiled, runExpected(compiled, control), engine)
  throw new SimulationError('BAD_OPTIONS', `unknown engine "${String(engine)}"`)
}
