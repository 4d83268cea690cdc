import { Worker } from 'node:worker_threads'
import { CloseCodes } from '../closeCodes.js'
import { SyncError } from '../SyncError.js'
import type { BoardJob, BoardReply } from './BoardJob.js'

const WORKER = new URL('./boardWorker.js', import.meta.url)
// A worker's heap: a board request that needs more fails alone instead of starving the node.
const WORKER_HEAP_MB = 1024

/**
 * Answers the HTTP API's board requests (`/snapshot`, `/model`, `/simulation`) within bounds: at
 * most `concurrency` at once, refused before any work is done (so a burst of requests can neither
 * pile up memory nor stall the relay), models and simulations built on worker threads, each
 * stopped after `timeoutMs`.
 */
export class SimulationRunner {
  private running = 0
  private readonly workers = new Set<Worker>()

  /**
   * @param concurrency - board requests answered at once on this node
   * @param timeoutMs - a worker still running after this long is terminated
   * @param onRunning - told how many requests are being answered, at each change
   */
  constructor(
    private readonly concurrency: number,
    private readonly timeoutMs: number,
    private readonly onRunning: (running: number) => void = () => {},
  ) {}

  /**
   * Takes one of the slots; call the returned function once the request is answered.
   * @throws {@link SyncError} `simulation-busy` when every slot is taken
   */
  reserve(): () => void {
    if (this.running >= this.concurrency) {
      throw new SyncError(
        'simulation-busy',
        `${this.concurrency} board requests are already being answered on this node; retry shortly`,
        CloseCodes.tooManyConnections,
      )
    }
    this.running++
    this.onRunning(this.running)
    let released = false
    return () => {
      if (released) return
      released = true
      this.running--
      this.onRunning(this.running)
    }
  }

  /**
   * Answers `job` for the board whose state is `state` on a worker thread (hold a slot from
   * {@link reserve} meanwhile).
   * @throws {@link SyncError} `simulation-timeout` when it ran too long; an `Error` for a bug
   */
  async run(state: Uint8Array, job: BoardJob): Promise<BoardReply> {
    const worker = new Worker(WORKER, {
      workerData: { state, job },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    })
    this.workers.add(worker)
    try {
      return await new Promise<BoardReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new SyncError(
              'simulation-timeout',
              `the request took longer than ${this.timeoutMs} ms and was stopped; simulate this board locally (chainmap-sim) or with fewer agents/runs`,
              CloseCodes.internalError,
            ),
          )
          void worker.terminate()
        }, this.timeoutMs)
        worker.once('message', (reply: BoardReply) => {
          clearTimeout(timer)
          resolve(reply)
        })
        worker.once('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
        worker.once('exit', (code) => {
          clearTimeout(timer)
          reject(new Error(`board worker exited with ${code} before answering`))
        })
      })
    } finally {
      this.workers.delete(worker)
      void worker.terminate()
    }
  }

  /** Stops every running worker (at shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.terminate()))
  }
}
