import type { LiveOutput } from './LiveOutput'
import type { WorkerResponse } from './workerMessages'

function startWorker(): Worker {
  return new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module' })
}

/**
 * Feeds board models to Web Workers running `@chainmap/sim` and puts the results into a
 * {@link LiveOutput}. Live runs (expected engine) coalesce: while one runs, only the newest
 * model waits, so a burst of edits costs at most one extra run. The agents run has its own
 * worker, so it never delays the live numbers, and is stopped by terminating that worker.
 */
export class SimulationRunner {
  private live: Worker | null = null
  private agents: Worker | null = null
  private nextId = 1
  private inFlight: number | null = null
  private pending: string | null = null
  private lastSent: string | null = null
  private agentsRunId: number | null = null

  constructor(private readonly output: LiveOutput) {}

  /** Simulates `model` (plain JSON) unless it is the model already simulated. */
  update(model: unknown): void {
    const json = JSON.stringify(model)
    if (json === this.lastSent && this.pending === null) return
    this.pending = json
    this.pump()
  }

  /** Starts an agents run with p10/p90 bands (replacing any running one). */
  runAgents(model: unknown, runs: number, agents: number): void {
    this.cancelAgents()
    const worker = startWorker()
    this.agents = worker
    const id = this.nextId++
    this.agentsRunId = id
    this.output.agents.set({ status: 'running', progress: 0 })
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const message = event.data
      if (message.id !== this.agentsRunId) return
      if (message.kind === 'progress') {
        this.output.agents.set({ status: 'running', progress: message.fraction })
      } else if (message.kind === 'result') {
        this.output.agents.set({ status: 'done', result: message.result })
        this.stopAgentsWorker()
      } else {
        this.output.agents.set({ status: 'error', message: message.message })
        this.stopAgentsWorker()
      }
    }
    worker.postMessage({ id, model, options: { engine: 'agents', runs, agents } })
  }

  /** Stops the agents run, if any, and forgets its bands. */
  cancelAgents(): void {
    this.stopAgentsWorker()
    this.agentsRunId = null
    this.output.agents.set({ status: 'idle' })
  }

  /** Stops all workers. */
  dispose(): void {
    this.live?.terminate()
    this.live = null
    this.stopAgentsWorker()
  }

  private stopAgentsWorker(): void {
    this.agents?.terminate()
    this.agents = null
  }

  private pump(): void {
    this.output.computing.set(this.inFlight !== null || this.pending !== null)
    if (this.inFlight !== null || this.pending === null) return
    if (!this.live) {
      this.live = startWorker()
      this.live.onmessage = (event: MessageEvent<WorkerResponse>) => this.onLive(event.data)
    }
    const json = this.pending
    this.pending = null
    this.lastSent = json
    const id = this.nextId++
    this.inFlight = id
    this.live.postMessage({ id, model: JSON.parse(json), options: { engine: 'expected' } })
  }

  private onLive(message: WorkerResponse): void {
    if (message.id !== this.inFlight || message.kind === 'progress') return
    this.inFlight = null
    if (message.kind === 'result') {
      this.output.result.set(message.result)
      this.output.runMs.set(message.ms)
      this.output.problem.set(null)
    } else {
      this.output.problem.set(message.message)
    }
    this.output.generation.set(this.output.generation.get() + 1)
    this.pump()
  }
}
