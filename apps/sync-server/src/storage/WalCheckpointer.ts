import { Worker } from 'node:worker_threads'

// CommonJS source run by the worker thread: its own connection checkpoints the WAL periodically.
const WORKER_SOURCE = `
const { DatabaseSync } = require('node:sqlite')
const { parentPort, workerData } = require('node:worker_threads')
const db = new DatabaseSync(workerData.file)
db.exec('PRAGMA busy_timeout = 5000')
const checkpoint = () => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)')
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) })
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

/**
 * Checkpoints a WAL-mode SQLite database from a worker thread. A checkpoint copies the WAL into the
 * database file and syncs it to disk; done on the server's own thread (SQLite's auto-checkpoint) it
 * stalls every connection for the length of that sync. A PASSIVE checkpoint never blocks the writer.
 */
export class WalCheckpointer {
  private readonly worker: Worker
  private readonly exited: Promise<void>

  /**
   * @param file - the database file
   * @param intervalMs - time between checkpoints
   * @param onError - told about a failed checkpoint (the WAL then keeps growing until one succeeds)
   */
  constructor(file: string, intervalMs: number, onError: (message: string) => void = () => {}) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs } })
    this.worker.on('message', (message: { error?: string }) => {
      if (message.error) onError(message.error)
    })
    this.worker.on('error', (error) => onError(error.message))
    this.worker.unref()
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
  }

  /** Stops checkpointing and closes the worker's connection. */
  async stop(): Promise<void> {
    // Referenced again, or the process could exit while waiting for the worker to finish.
    this.worker.ref()
    this.worker.postMessage('stop')
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))])
    clearTimeout(timer)
    await this.worker.terminate()
  }
}
