/// <reference lib="webworker" />
import {
  AnalysisError,
  compareScenarios,
  fitAdoption,
  goalSeek,
  ModelError,
  sensitivity,
} from '@chainmap/sim'
import type { AnalysisJob, AnalysisResponse } from './analysisMessages'

// Runs @chainmap/sim's strategy analyses off the main thread: a sensitivity analysis is dozens of
// simulations, and the canvas must stay responsive (and cancellable) meanwhile.

const scope = self as unknown as DedicatedWorkerGlobalScope

function post(message: AnalysisResponse): void {
  scope.postMessage(message)
}

let lastProgress = 0
function onProgress(fraction: number): void {
  const now = performance.now()
  if (now - lastProgress < 50 && fraction < 1) return
  lastProgress = now
  post({ kind: 'progress', fraction })
}

async function run(job: AnalysisJob) {
  switch (job.kind) {
    case 'compare':
      return compareScenarios(job.model, job.scenarios, { onProgress })
    case 'sensitivity':
      return await sensitivity(job.model, job.outcome, { onProgress })
    case 'goalSeek':
      return goalSeek(job.model, {
        parameter: job.parameter,
        outcome: job.outcome,
        target: job.target,
        direction: job.direction,
      })
    case 'fit':
      return fitAdoption(
        job.model,
        { product: job.product, observed: job.observed, fit: job.fit },
        { onProgress },
      )
  }
}

scope.onmessage = async (event: MessageEvent<AnalysisJob>) => {
  const started = performance.now()
  try {
    const answer = await run(event.data)
    post({ kind: 'result', answer, ms: performance.now() - started })
  } catch (error) {
    const message =
      error instanceof ModelError
        ? (error.problems[0]?.message ?? error.message)
        : error instanceof AnalysisError
          ? error.problems.join('; ')
          : error instanceof Error
            ? error.message
            : String(error)
    post({ kind: 'error', message })
  }
}
