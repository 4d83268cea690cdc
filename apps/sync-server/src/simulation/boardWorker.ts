import { parentPort, workerData } from 'node:worker_threads'
import { BoardError, modelFromBoard } from '@chainmap/board'
import { ModelError, parseModel, SimulationError, simulate } from '@chainmap/sim'
import * as Y from 'yjs'
import type { BoardJob, BoardReply } from './BoardJob.js'
import { estimateJsonBytes, sampleResult } from './sampleResult.js'

// Answers one board request off the server's event loop: reads the board from its state, builds
// its model and, when asked, simulates it; the answer is serialised here, so the main thread only
// copies one string, and refused here when it would be larger than the server allows.
const { state, job } = workerData as { state: Uint8Array; job: BoardJob }

function tooLarge(bytes: number): BoardReply {
  const every = Math.ceil(bytes / job.maxBytes)
  return {
    ok: false,
    code: 'answer-too-large',
    message: `the answer would be about ${mib(bytes)} MiB, over this server's ${mib(job.maxBytes)} MiB limit; ask for less with every=${every} (one day in ${every}) or until=<day>`,
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}

function answer(): BoardReply {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const model = modelFromBoard(doc)
  doc.destroy()
  if (job.kind === 'model') {
    const json = JSON.stringify(model)
    return json.length > job.maxBytes ? tooLarge(json.length) : { ok: true, json }
  }
  parseModel(model)
  const result = sampleResult(simulate(model, job.options), job.sample)
  // Refused before serialising when clearly too large: a long board's answer ran to 177 MiB.
  const estimate = estimateJsonBytes(result)
  if (estimate > 2 * job.maxBytes) return tooLarge(estimate)
  const json = JSON.stringify(result)
  return json.length > job.maxBytes ? tooLarge(json.length) : { ok: true, json }
}

let reply: BoardReply
try {
  reply = answer()
} catch (error) {
  if (error instanceof BoardError) reply = { ok: false, code: error.code, message: error.message }
  else if (error instanceof ModelError) {
    reply = { ok: false, code: 'invalid-model', message: error.message, problems: error.problems }
  } else if (error instanceof SimulationError) {
    reply = { ok: false, code: error.code, message: error.message }
  } else {
    reply = {
      ok: false,
      code: 'FAILED',
      message: error instanceof Error ? error.message : String(error),
    }
  }
}
parentPort?.postMessage(reply)
