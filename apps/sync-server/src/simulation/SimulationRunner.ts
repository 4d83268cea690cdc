import { Worker } from 'node:worker_threads'
import { type Model, type SimulateOptions, SimulationError } from '@chainmap/sim'
import { CloseCodes } from '../closeCodes.js'
import { SyncError } from '../SyncError.js'

/** What the simulation worker posts back. */
export type SimulationReply =
  | { readonly ok: true; readonly json: string }
  | { readonly ok: false; readonly code: string; readonly message: string }

const WORKER = new URL('./simulationWorker.js', import.meta.url)

/**
 * Runs `@chainmap/sim` simulations for the HTTP API on worker threads, so a big board never stalls
 * the relay: at most `concurrency` at once (more are refused, not queued, so a burst of requests
 * cannot pile up memory), each stopped after `timeoutMs`.
 */
export class SimulationRunner {
  private running = 0
  private readonly workers = new Set<Worker>()

  /**
   * @param concurrency - simulations allowed at once on this node
   * @param timeoutMs - a simulation still running after this long is terminated
   */
  constructor(
    private readonly concurrency: number,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Simulates a validated `model`; resolves with the result as JSON text.
   * @throws {@link SyncError} `simulation-busy` when every slot is taken, `simulation-timeout` when
   *   it ran too long; `SimulationError` when the engine refuses the model (e.g. too many states).
   */
  async run(model: Model, options: SimulateOptions): Promise<string> {
    if (this.running >= this.concurrency) {
      throw new SyncError(
        'simulation-busy',
        `${this.concurrency} simulations are already running on this node; retry shortly`,
        CloseCodes.tooManyConnections,
      )
    }
    this.running++
    const worker = new Worker(WORKER, { workerData: { model, options } })
    this.workers.add(worker)
    try {
      return await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new SyncError(
              'simulation-timeout',
              `the simulation took longer than ${this.timeoutMs} ms and was stopped; simulate this board locally (chainmap-sim) or with fewer agents/runs`,
              CloseCodes.internalError,
            ),
          )
          void worker.terminate()
        }, this.timeoutMs)
        worker.once('message', (reply: SimulationReply) => {
          clearTimeout(timer)
          if (reply.ok) resolve(reply.json)
          else if (reply.code === 'FAILED') reject(new Error(reply.message))
          else reject(new SimulationError(reply.code as SimulationError['code'], reply.message))
        })
        worker.once('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
        worker.once('exit', (code) => {
          clearTimeout(timer)
          reject(new Error(`simulation worker exited with ${code} before answering`))
        })
      })
    } finally {
      this.running--
      this.workers.delete(worker)
      void worker.terminate()
    }
  }

  /** Stops every running simulation (at shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.terminate()))
  }
}
