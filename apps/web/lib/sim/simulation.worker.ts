/// <reference lib="webworker" />
import { ModelError, type SimulateOptions, SimulationError, simulate } from '@chainmap/sim'
import type { WorkerRequest, WorkerResponse } from './workerMessages'

// Runs @chainmap/sim off the main thread, so the canvas stays smooth while numbers are computed.

/** People the live view simulates when a board is too large for the exact engine. */
const FALLBACK_AGENTS = 10_000

const scope = self as unknown as DedicatedWorkerGlobalScope

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer)
}

/**
 * The buffers under every series of a result. Handing them over instead of copying them saves
 * the main thread a structured clone of megabytes on a large board (200 products × 8 series ×
 * 366 days, plus links and bands). Series may be views of one shared buffer: each goes once.
 */
function buffersOf(value: unknown, found = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer)
  } else if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) buffersOf(inner, found)
  }
  return found
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
    const ms = performance.now() - started
    post({ kind: 'result', id, result, ms }, [...buffersOf(result)])
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
