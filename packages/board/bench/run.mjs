// Board benchmarks: `npm run bench -w @chainmap/board` (builds first through turbo's bench task).
// Prints bytes on the wire per second of dragging and the cost of reading a 200-product board.
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import {
  BoardBinding,
  boardFromModel,
  createBoardSchema,
  createBoardStore,
  modelFromBoard,
  validateShapeChange,
  writeBoardRecords,
  writeSettings,
} from '../dist/index.js'

// tldraw's store flushes listeners per animation frame; plain Node has no frames.
globalThis.requestAnimationFrame ??= (cb) => setTimeout(() => cb(performance.now()), 0)
globalThis.cancelAnimationFrame ??= (id) => clearTimeout(id)

// One pointer move per 60 fps frame, as a person drags.
const frame = () => new Promise((resolve) => setTimeout(resolve, 1000 / 60))

function bigModel(products) {
  const markets = Array.from({ length: 20 }, (_, i) => ({
    id: `m${i}`,
    name: `Market ${i}`,
    reach: 1_000_000,
    p: 0.001,
    q: 0.05,
  }))
  const companies = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, name: `Company ${i}` }))
  const rows = Array.from({ length: products }, (_, i) => ({
    id: `p${i}`,
    name: `Product ${i}`,
    company: `c${i % 10}`,
    market: `m${i % 20}`,
    appeal: 1,
    launchDay: 0,
    initialUsers: 10,
    churn: 0.001,
  }))
  const links = rows.slice(0, -1).map((row, i) => ({
    from: row.id,
    to: `p${i + 1}`,
    funnel: 0.01,
    lockIn: 0.2,
  }))
  return {
    version: 1,
    population: 2_000_000,
    horizonDays: 365,
    stepDays: 1,
    seed: 1,
    networkEffect: 0,
    ecosystemPull: 0,
    companies,
    markets,
    products: rows,
    links,
  }
}

async function dragBytes() {
  const store = createBoardStore()
  store.mergeRemoteChanges(() => {})
  const doc = new Y.Doc()
  new BoardBinding({ store, doc })
  const board = boardFromModel(bigModel(20))
  store.put(board.shapes)
  await frame()
  const id = 'shape:product:p3'
  let bytes = 0
  let updates = 0
  doc.on('update', (update) => {
    bytes += update.byteLength
    updates += 1
  })
  for (let i = 1; i <= 60; i++) {
    const shape = store.get(id)
    store.put([{ ...shape, x: shape.x + 3.5, y: shape.y + 1.25 }])
    await frame()
  }
  // y-websocket frames each update as messageSync, messageYjsUpdate, then a varint length.
  const framing = updates * 3
  return { updates, bytes, wire: bytes + framing }
}

function time(label, runs, fn) {
  for (let i = 0; i < 20; i++) fn()
  const start = performance.now()
  for (let i = 0; i < runs; i++) fn()
  const ms = (performance.now() - start) / runs
  console.log(`${label}: ${ms.toFixed(2)} ms`)
}

const drag = await dragBytes()
console.log(
  `drag, 60 frames (1 s at 60 fps): ${drag.updates} updates, ${drag.bytes} bytes of Yjs updates, ` +
    `${drag.wire} bytes with y-websocket framing (budget 20480)`,
)

const board = boardFromModel(bigModel(200))
const doc = new Y.Doc()
writeBoardRecords(doc, board.shapes, { schema: createBoardSchema() })
writeSettings(doc, board.settings)
console.log(`200-product board: ${Y.encodeStateAsUpdate(doc).byteLength} bytes as one Yjs update`)
time('modelFromBoard(doc), 200 products, 199 links', 100, () => modelFromBoard(doc))
time('validateShapeChange(doc, product, churn)', 20, () =>
  validateShapeChange(doc, 'shape:product:p5', 'churn', 0.2),
)
console.log(`node ${process.version}`)
