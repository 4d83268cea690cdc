import { AnalysisFailed } from './AnalysisFailed'
import type { AnalysisAnswers, AnalysisJob, AnalysisResponse } from './analysisMessages'

/** A running analysis: its answer, and a way to stop it. */
export interface AnalysisTask<K extends AnalysisJob['kind']> {
  /** Resolves with the answer and the time the worker took; rejects with {@link AnalysisFailed}. */
  readonly done: Promise<{ answer: AnalysisAnswers[K]; ms: number }>
  /** Stops the analysis now (terminates its worker); `done` rejects with `cancelled: true`. */
  cancel(): void
}

function startWorker(): Worker {
  return new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' })
}

/**
 * Runs one strategy analysis in its own Web Worker. Cancelling terminates the worker, which
 * stops even a synchronous goal seek or fit mid-simulation, and frees its memory at once.
 *
 * @param job - what to compute
 * @param onProgress - called with the fraction done (sensitivity and compare report it)
 * @returns the task
 */
export function runAnalysis<K extends AnalysisJob['kind']>(
  job: AnalysisJob & { kind: K },
  onProgress?: (fraction: number) => void,
): AnalysisTask<K> {
  const worker = startWorker()
  let settle:
    | ((error: AnalysisFailed | null, value?: { answer: unknown; ms: number }) => void)
    | null = null
  const done = new Promise<{ answer: AnalysisAnswers[K]; ms: number }>((resolve, reject) => {
    settle = (error, value) => {
      settle = null
      worker.terminate()
      if (error) reject(error)
      else resolve(value as { answer: AnalysisAnswers[K]; ms: number })
    }
  })
  worker.onmessage = (event: MessageEvent<AnalysisResponse>) => {
    const message = event.data
    if (message.kind === 'progress') onProgress?.(message.fraction)
    else if (message.kind === 'result') settle?.(null, { answer: message.answer, ms: message.ms })
    else settle?.(new AnalysisFailed(message.message, false))
  }
  worker.onerror = (event) => {
    settle?.(new AnalysisFailed(event.message || 'the analysis worker failed', false))
  }
  worker.postMessage(job)
  return {
    done,
    cancel: () => settle?.(new AnalysisFailed('cancelled', true)),
  }
}
