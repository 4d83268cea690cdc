import type { SimulationResult } from '@chainmap/sim'

/** Run options the worker accepts. */
export interface WorkerRunOptions {
  engine: 'expected' | 'agents'
  runs?: number
  agents?: number
}

/** Main thread → worker: simulate this model. (A run is stopped by terminating the worker.) */
export interface WorkerRequest {
  id: number
  model: unknown
  options: WorkerRunOptions
}

/** Worker → main thread. */
export type WorkerResponse =
  | { kind: 'progress'; id: number; fraction: number }
  | { kind: 'result'; id: number; result: SimulationResult; ms: number }
  | { kind: 'error'; id: number; message: string }
