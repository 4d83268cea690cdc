/// <reference lib="webworker" />
import { ModelError, type SimulateOptions, SimulationError, simulate } from '@chainmap/sim'
import type { WorkerRequest, WorkerResponse } from './workerMessages'

// Runs @chainmap/sim off the main thread, so the canvas stays smooth while numbers are computed.

/** People the live view simulates when a board is too large for the exact engine. */
const FALLBACK_AGENTS = 10_000

const scope = self as unknown as DedicatedWorkerGlobalScope

function post(message: WorkerResponse): void {
  scope.postMessage(message)
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const { id, model, options } = event.data
  const started = performance.now()
  let lastProgress = 0
  const onProgress = (fraction: number) => {
    const now = performance.now()
    if (now - lastProgress < 100 && fraction < 1) return
    lastProgress = now
    post({ kind: 'progress', id, fraction })
  }
  const run = (opts: SimulateOptions) => simulate(model, { ...opts, onProgress })
  try {
    let result: ReturnType<typeof simulate>
    try {
      result = run(options)
    } catch (error) {
      // A board too large for the exact engine still gets live numbers, from seeded agents.
      if (!(error instanceof SimulationError && error.code === 'TOO_MANY_STATES')) throw error
      result = run({ engine: 'agents', agents: FALLBACK_AGENTS })
    }
    post({ kind: 'result', id, result, ms: performance.now() - started })
  } catch (error) {
    const message =
      error instanceof ModelError
        ? (error.problems[0]?.message ?? error.message)
        : error instanceof Error
          ? error.message
          : String(error)
    post({ kind: 'error', id, message })
  }
}
