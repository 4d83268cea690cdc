import { parentPort, workerData } from 'node:worker_threads'
import { type SimulateOptions, SimulationError, simulate } from '@chainmap/sim'
import type { SimulationReply } from './SimulationRunner.js'

// Runs one simulation off the server's event loop and posts its JSON (serialised here, so the
// main thread only copies one string).
const { model, options } = workerData as { model: unknown; options: SimulateOptions }
let reply: SimulationReply
try {
  reply = { ok: true, json: JSON.stringify(simulate(model, options)) }
} catch (error) {
  reply =
    error instanceof SimulationError
      ? { ok: false, code: error.code, message: error.message }
      : {
          ok: false,
          code: 'FAILED',
          message: error instanceof Error ? error.message : String(error),
        }
}
parentPort?.postMessage(reply)
