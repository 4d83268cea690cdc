import { createContext, useContext } from 'react'
import type { SimulationRunner } from '@/lib/sim/SimulationRunner'

/** The board's simulation runner, for panels that start agents runs. */
export const SimulationRunnerContext = createContext<SimulationRunner | null>(null)

/** The board's simulation runner; throws before the editor has mounted. */
export function useSimulationRunner(): SimulationRunner {
  const runner = useContext(SimulationRunnerContext)
  if (!runner) throw new Error('the simulation runner is not running yet')
  return runner
}
