import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readMessage, writeAwareness, writeSyncStep1, writeUpdate } from './protocol/messages.js'
import {
  connectClient,
  openRaw,
  seededRandom,
  type TestClient,
  waitFor,
} from './testkit/clients.js'
import { fuzzSeed } from './testkit/seeds.js'
import { type ServerProcess, startServer } from './testkit/serverProcess.js'

/** Seeds that once failed; each is replayed on every run. */
const REGRESSION_SEEDS: number[] = []
const ATTACKS = 150
const MAX_MESSAGE_BYTES = 64 * 1024

let server: ServerProcess
const clients: TestClient[] = []
beforeAll(async () => {
  server = await startServer({
    env: {
      CHAINMAP_UPDATE_RATE: '10000',
      CHAINMAP_UPDATE_BURST: '10000',
      CHAINMAP_LOG_LEVEL: 'warn',
    },
    args: [
      '--max-message-bytes',
      String(MAX_MESSAGE_BYTES),
      '--max-connections-per-ip',
      '1000',
      '--room-hibernate-ms',
      '20',
    ],
  })
})
afterAll(async () => {
  for (const c of clients) c.destroy()
  expect(await server.stop('SIGTERM')).toBe(0)
})

type Attack = { name: string; frame: Uint8Array | string }

function randomBytes(rng: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(rng() * 256))
}

function realUpdate(rng: () => number): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('shapes').set(`s${Math.floor(rng() * 1000)}`, { x: rng(), label: 'box' })
  doc.getText('title').insert(0, 'hello')
  return Y.encodeStateAsUpdate(doc)
}

function attacks(rng: () => number): Attack[] {
  const pick = <T>(items: T[]) => items[Math.floor(rng() * items.length)] as T
  const make = (): Attack => {
    switch (Math.floor(rng() * 12)) {
      case 0:
        return { name: 'random bytes', frame: randomBytes(rng, 1 + Math.floor(rng() * 64)) }
      case 1:
        return {
          name: 'bad varint',
          frame: new Uint8Array(Array(6 + Math.floor(rng() * 8)).fill(0xff)),
        }
      case 2:
        return {
          name: 'truncated sync',
          frame: new Uint8Array([0, pick([0, 1, 2]), 200, ...randomBytes(rng, 5)]),
        }
      case 3: {
        const e = encoding.createEncoder()
        encoding.writeVarUint(e, 0)
        encoding.writeVarUint(e, 2)
        encoding.writeVarUint8Array(e, randomBytes(rng, 1 + Math.floor(rng() * 40)))
        return { name: 'corrupt Yjs update', frame: encoding.toUint8Array(e) }
      }
      case 4: {
        const update = realUpdate(rng)
        for (let i = 0; i < 1 + Math.floor(rng() * 3); i++) {
          update[Math.floor(rng() * update.length)] = Math.floor(rng() * 256)
        }
        return { name: 'mutated Yjs update', frame: writeUpdate(update) }
      }
      case 5:
        return {
          name: 'unknown message type',
          frame: new Uint8Array([4 + Math.floor(rng() * 100), 0, 0]),
        }
      case 6:
        return { name: 'text frame', frame: 'hello server' }
      case 7:
        return {
          name: 'oversized frame',
          frame: new Uint8Array(MAX_MESSAGE_BYTES + 1 + Math.floor(rng() * 1000)),
        }
      case 8: {
        const e = encoding.createEncoder()
        encoding.writeVarUint(e, 1)
        encoding.writeVarUint(e, 1234)
        encoding.writeVarUint(e, 1)
        encoding.writeVarString(e, '{not json')
        return { name: 'bad awareness JSON', frame: writeAwareness(encoding.toUint8Array(e)) }
      }
      case 9:
        return { name: 'bad state vector', frame: writeSyncStep1(new Uint8Array([5, 1])) }
      case 10:
        return {
          name: 'trailing bytes',
          frame: new Uint8Array([...writeUpdate(realUpdate(rng)), 1, 2, 3]),
        }
      default:
        return { name: 'client auth frame', frame: new Uint8Array([2, 0, 3, 65, 66, 67]) }
    }
  }
  return Array.from({ length: ATTACKS }, make)
}

function isValidFrame(frame: Uint8Array | string): boolean {
  if (typeof frame === 'string' || frame.byteLength > MAX_MESSAGE_BYTES) return false
  try {
    return readMessage(frame).type !== 'permissionDenied'
  } catch {
    return false
  }
}

function contentOf(doc: Y.Doc): string {
  return JSON.stringify({ m: doc.getMap('m').toJSON(), t: doc.getText('t').toString() })
}

async function run(seed: number): Promise<void> {
  const rng = seededRandom(seed)
  const room = `fuzz-${seed}`
  const a = connectClient(server.url, room)
  const b = connectClient(server.url, room)
  clients.push(a, b)
  await Promise.all([a.firstSynced, b.firstSynced])
  let edits = 0
  const editing = setInterval(() => {
    edits++
    a.doc.getMap('m').set(`a${edits % 50}`, edits)
    b.doc.getText('t').insert(0, 'b')
  }, 5)
  const codes = new Map<string, number[]>()
  try {
    for (const attack of attacks(rng)) {
      const raw = await openRaw(`${server.url}/${room}`)
      await waitFor(() => raw.frames.length > 0, 'server sync step 1')
      raw.ws.send(attack.frame, { binary: typeof attack.frame !== 'string' })
      const valid = isValidFrame(attack.frame)
      const outcome = await Promise.race([
        raw.closed.then(({ code }) => code),
        new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), valid ? 100 : 20_000)),
      ])
      if (outcome === 'open') {
        expect(valid, `${attack.name} (seed ${seed}) must close the connection`).toBe(true)
        raw.ws.close()
        continue
      }
      const list = codes.get(attack.name) ?? []
      list.push(outcome)
      codes.set(attack.name, list)
      if (!valid) {
        expect([4400, 1009], `${attack.name} (seed ${seed}) closed with ${outcome}`).toContain(
          outcome,
        )
      }
    }
  } finally {
    clearInterval(editing)
  }
  // Server, room and the two legitimate clients carried on.
  expect(server.child.exitCode).toBeNull()
  expect((await fetch(`${server.http}/healthz`)).status).toBe(200)
  expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true)
  await waitFor(() => contentOf(a.doc) === contentOf(b.doc), `a and b to converge (seed ${seed})`)
  const fresh = connectClient(server.url, room)
  clients.push(fresh)
  await fresh.firstSynced
  await waitFor(
    () => contentOf(fresh.doc) === contentOf(a.doc),
    `a fresh client to match (seed ${seed})`,
  )
  expect(server.output()).toMatch(
    /"code":"(malformed-frame|corrupt-update|text-frame|unknown-message-type)"/,
  )
}

describe('seeded fuzz of malformed frames while two clients edit', () => {
  it('closes each bad connection with a clear code and keeps serving', async () => {
    await run(fuzzSeed('frame fuzz'))
  })
  for (const seed of REGRESSION_SEEDS) {
    it(`regression seed ${seed}`, async () => {
      await run(seed)
    })
  }
})
