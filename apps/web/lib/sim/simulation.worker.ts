/// <reference lib="webworker" />
import { ModelError, simulate } from '@chainmap/sim'
import type { WorkerRequest, WorkerResponse } from './workerMessages'

// Runs @chainmap/sim off the main thread, so the canvas stays smooth while numbers are computed.

const scope = self as unknown as DedicatedWorkerGlobalScope

function post(message: WorkerResponse): void {
  scope.postMessage(message)
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const { id, model, options } = event.data
  const started = performance.now()
  let lastProgress = 0
  try {
    const result = simulate(model, {
      ...options,
      onProgress: (fraction) => {
        const now = performance.now()
        if (now - lastProgress < 100 && fraction < 1) return
        lastProgress = now
        post({ kind: 'progress', id, fraction })
      },
    })
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
