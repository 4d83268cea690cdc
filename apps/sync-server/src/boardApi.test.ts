import { readFileSync } from 'node:fs'
import {
  boardFromModel,
  createBoardSchema,
  writeBoardRecords,
  writeSettings,
} from '@chainmap/board'
import { parseModel, simulate } from '@chainmap/sim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintToken } from './auth/tokens.js'
import { connectClient, type TestClient, waitFor } from './testkit/clients.js'
import { type ServerProcess, startServer } from './testkit/serverProcess.js'

const secret = 'board-api-secret-0123456789abcdef-xyz'
const scenario: unknown = JSON.parse(
  readFileSync(
    new URL('../../../packages/sim/scenarios/ecosystem-vs-giant.json', import.meta.url),
    'utf8',
  ),
)
/** The fields the tests look at in a JSON answer. */
interface Answer {
  engine?: string
  runs?: number
  error?: string
  message?: string
  problems?: unknown[]
  products?: unknown
  population?: number
}

function read(res: Response): Promise<Answer> {
  return res.json() as Promise<Answer>
}

let server: ServerProcess
const clients: TestClient[] = []

async function editor(room: string): Promise<TestClient> {
  const client = connectClient(server.url, room, {
    token: await mintToken(secret, { room, role: 'edit' }),
  })
  clients.push(client)
  await client.firstSynced
  return client
}

async function get(room: string, resource: string, query = '', role: 'edit' | 'view' = 'view') {
  const token = await mintToken(secret, { room, role })
  return fetch(`${server.http}/api/rooms/${room}/${resource}?token=${token}${query}`)
}

beforeAll(async () => {
  server = await startServer({
    env: { CHAINMAP_AUTH_SECRET: secret },
    // Long enough for a small agents run (worker start included) on a busy 2-core CI machine,
    // far too short for the heavy query of the timeout test (tens of seconds of work).
    args: ['--simulation-timeout-ms', '8000'],
  })
  // The story scenario, drawn on a board by a stock client.
  const client = await editor('story')
  const board = boardFromModel(scenario)
  writeBoardRecords(client.doc, board.shapes, { schema: createBoardSchema() })
  writeSettings(client.doc, board.settings)
  const check = connectClient(server.url, 'story', {
    token: await mintToken(secret, { room: 'story', role: 'view' }),
  })
  clients.push(check)
  await waitFor(() => check.doc.share.size > 0 && check.provider.synced, 'the board to be relayed')
})
afterAll(async () => {
  for (const c of clients) c.destroy()
  await server.stop('SIGTERM')
})

describe('GET /api/rooms/<room>/model and /simulation', () => {
  it('answers the model of a board written through the websocket', async () => {
    const res = await get('story', 'model')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(await read(res)).toEqual(parseModel(scenario))
  })

  it('answers the expected-engine simulation, identical to simulating the model locally', async () => {
    const res = await get('story', 'simulation')
    expect(res.status).toBe(200)
    const result = await read(res)
    expect(result).toEqual(JSON.parse(JSON.stringify(simulate(scenario))))
    expect(result.engine).toBe('expected')
  })

  it('runs the seeded agents engine when asked, reproducibly', async () => {
    const query = '&engine=agents&runs=2&seed=7&agents=2000'
    const [a, b] = await Promise.all([
      get('story', 'simulation', query),
      get('story', 'simulation', query),
    ])
    expect(a.status).toBe(200)
    const result = await read(a)
    expect(result.engine).toBe('agents')
    expect(result.runs).toBe(2)
    expect(await read(b)).toEqual(result)
    expect(result).toEqual(
      JSON.parse(
        JSON.stringify(simulate(scenario, { engine: 'agents', runs: 2, seed: 7, agents: 2000 })),
      ),
    )
  })

  it('refuses bad queries with 400 naming the parameter', async () => {
    const bad = await get('story', 'simulation', '&engine=agents&runs=0')
    expect(bad.status).toBe(400)
    expect(await read(bad)).toMatchObject({
      error: 'invalid-query',
      message: expect.stringContaining('runs'),
    })
    const mixed = await get('story', 'simulation', '&seed=3')
    expect(mixed.status).toBe(400)
    expect((await read(mixed)).message).toContain('engine=agents')
  })

  it('stops simulations past the timeout with 413, refuses more than the cap with 503, keeps serving', async () => {
    const heavy = '&engine=agents&runs=20&agents=1000000'
    // Two fill both slots (the default concurrency) until the 8 s timeout; the third finds none.
    const answers = await Promise.all([1, 2, 3].map(() => get('story', 'simulation', heavy)))
    const statuses = answers.map((res) => res.status).sort()
    expect(statuses).toEqual([413, 413, 503])
    const busy = answers.find((res) => res.status === 503)
    expect(busy?.headers.get('retry-after')).toBe('1')
    expect(await read(busy as Response)).toMatchObject({ error: 'simulation-busy' })
    const res = answers.find((r) => r.status === 413) as Response
    expect(await read(res)).toMatchObject({ error: 'simulation-timeout' })
    expect((await get('story', 'model')).status).toBe(200)
  })

  it('answers an empty model and an empty result for a room nobody wrote', async () => {
    const model = await read(await get('blank', 'model'))
    expect(model).toMatchObject({ companies: [], markets: [], products: [], links: [] })
    const res = await get('blank', 'simulation')
    expect(res.status).toBe(200)
    expect((await read(res)).products).toEqual({})
  })

  it('answers 422 with the simulation problems for a board whose model is invalid', async () => {
    const client = await editor('broken')
    writeSettings(client.doc, { population: -5 })
    await waitFor(() => client.provider.synced, 'the edit to be sent')
    let res = await get('broken', 'simulation')
    for (let i = 0; i < 100 && res.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      res = await get('broken', 'simulation')
    }
    expect(res.status).toBe(422)
    const body = await read(res)
    expect(body.error).toBe('invalid-model')
    expect(body.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'population' })]),
    )
    // The model itself is still served, so a caller can see what is wrong.
    expect((await read(await get('broken', 'model'))).population).toBe(-5)
  })

  it('authorizes like the websocket: 401 without or with a forged token, 403 for another room, 400 for a bad room', async () => {
    for (const resource of ['model', 'simulation']) {
      const none = await fetch(`${server.http}/api/rooms/story/${resource}`)
      expect(none.status).toBe(401)
      expect(await read(none)).toMatchObject({ error: 'missing-token' })
      const forged = await mintToken('forger-secret-0123456789abcdef-000000', {
        room: 'story',
        role: 'edit',
      })
      expect(
        (await fetch(`${server.http}/api/rooms/story/${resource}?token=${forged}`)).status,
      ).toBe(401)
      const other = await mintToken(secret, { room: 'other', role: 'edit' })
      const wrong = await fetch(`${server.http}/api/rooms/story/${resource}?token=${other}`)
      expect(wrong.status).toBe(403)
      expect(await read(wrong)).toMatchObject({ error: 'wrong-room' })
      const bearer = await fetch(`${server.http}/api/rooms/story/${resource}`, {
        headers: {
          authorization: `Bearer ${await mintToken(secret, { room: 'story', role: 'view' })}`,
        },
      })
      expect(bearer.status).toBe(200)
      const invalid = await fetch(`${server.http}/api/rooms/bad%20room/${resource}`)
      expect(invalid.status).toBe(400)
      expect(await read(invalid)).toMatchObject({ error: 'invalid-room-name' })
    }
  })
})
