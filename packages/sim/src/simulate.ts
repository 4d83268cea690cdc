import { z } from 'zod'
import { runAgents } from './agents/runAgents.js'
import { CompiledModel } from './engine/CompiledModel.js'
import { SimulationError } from './engine/SimulationError.js'
import { runExpected } from './expected/runExpected.js'
import { parseModel } from './model/parseModel.js'
import type { SimulationResult } from './result/SimulationResult.js'
import { traceToResult } from './result/traceToResult.js'

/** Simulated people of the agents engine when `options.agents` is not given. */
export const DEFAULT_AGENTS = 100_000

const optionsSchema = z.object({
  engine: z.enum(['expected', 'agents']).optional(),
  agents: z.number().int().min(1).max(50_000_000).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  runs: z.number().int().min(1).max(1000).optional(),
})

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** `expected` (default): exact expectation; `agents`: seeded agent-based Monte Carlo. */
  engine?: 'expected' | 'agents'
  /** Simulated people for the agents engine (default 100,000); each stands for population / agents. */
  agents?: number
  /** Seed for the agents engine (default: the model's `seed`). */
  seed?: number
  /** Agent runs to average, with p10/p50/p90 bands when > 1 (default 1; the expected engine ignores it). */
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
  const checked = optionsSchema.safeParse(options)
  if (!checked.success) {
    const problems = checked.error.issues.map(
      (issue) => `options.${issue.path.map(String).join('.')}: ${issue.message}`,
    )
    throw new SimulationError('BAD_OPTIONS', problems.join('; '))
  }
  const engine = checked.data.engine ?? 'expected'
  const control = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  }
  if (engine === 'expected') return traceToResult(compiled, runExpected(compiled, control), engine)
  return runAgents(compiled, {
    ...control,
    agents: checked.data.agents ?? DEFAULT_AGENTS,
    seed: checked.data.seed ?? compiled.model.seed,
    runs: checked.data.runs ?? 1,
  })
}
