import type { CompiledModel } from '../engine/CompiledModel.js'
import type { RunControl } from '../engine/RunControl.js'
import { Trace } from '../engine/Trace.js'
import type { SimulationResult } from '../result/SimulationResult.js'
import { traceToResult } from '../result/traceToResult.js'
import { AgentRun } from './AgentRun.js'
import { combineRuns } from './combineRuns.js'

/** What the agents engine needs beyond the model. */
export interface AgentOptions extends RunControl {
  /** Simulated people per run. */
  readonly agents: number
  /** PRNG seed. */
  readonly seed: number
  /** Independent runs; with more than one, series are means with p10/p90 bands. */
  readonly runs: number
}

/**
 * The agents engine: `runs` seeded agent-based runs (run r uses stream r of the seed),
 * combined into means with p10/p90 bands when `runs > 1`.
 *
 * @param compiled - the model
 * @param options - agents, seed, runs, signal, progress
 * @returns the result
 */
export function runAgents(compiled: CompiledModel, options: AgentOptions): SimulationResult {
  const results: SimulationResult[] = []
  for (let run = 0; run < options.runs; run++) {
    const trace = new Trace(compiled)
    const agentRun = new AgentRun(compiled, options.agents, options.seed, run)
    agentRun.run(trace, options, (fraction) => (run + fraction) / options.runs)
    results.push(traceToResult(compiled, trace, 'agents'))
  }
  options.onProgress?.(1)
  return results.length === 1 ? results[0]! : combineRuns(results)
}
