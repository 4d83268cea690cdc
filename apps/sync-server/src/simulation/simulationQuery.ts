import type { SimulateOptions } from '@chainmap/sim'
import { z } from 'zod'
import type { DaySample } from './BoardJob.js'

/** Most simulated people an HTTP caller may ask the agents engine for. */
export const MAX_HTTP_AGENTS = 1_000_000
/** Most agent runs an HTTP caller may ask for. */
export const MAX_HTTP_RUNS = 20

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

const querySchema = z
  .object({
    engine: z.enum(['expected', 'agents']).default('expected'),
    runs: integer(1, MAX_HTTP_RUNS).optional(),
    seed: integer(0, 0xffffffff).optional(),
    agents: integer(1, MAX_HTTP_AGENTS).optional(),
    every: integer(1, 100_000).default(1),
    until: integer(0, 1_000_000).optional(),
  })
  .refine(
    (query) =>
      query.engine === 'agents' ||
      (query.runs === undefined && query.seed === undefined && query.agents === undefined),
    { message: 'runs, seed and agents need engine=agents', path: ['engine'] },
  )

/** The engine options of `GET /api/rooms/<room>/simulation`, or the problem with the query. */
export type SimulationQuery =
  | { readonly ok: true; readonly options: SimulateOptions; readonly sample: DaySample }
  | { readonly ok: false; readonly message: string }

/**
 * Reads `engine`, `runs`, `seed`, `agents` and the days to keep (`every`, `until`) from the query (other parameters, such as `token`,
 * are not ours). The caps keep one request from occupying a simulation slot for minutes.
 */
export function readSimulationQuery(query: URLSearchParams): SimulationQuery {
  const raw: Record<string, string> = {}
  for (const key of ['engine', 'runs', 'seed', 'agents', 'every', 'until']) {
    const value = query.get(key)
    if (value !== null && value !== '') raw[key] = value
  }
  const parsed = querySchema.safeParse(raw)
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `query parameter ${issue.path.map(String).join('.')}: ${issue.message}`)
      .join('; ')
    return { ok: false, message }
  }
  const { engine, runs, seed, agents, every, until } = parsed.data
  return {
    ok: true,
    sample: { every, ...(until !== undefined ? { until } : {}) },
    options: {
      engine,
      ...(runs !== undefined ? { runs } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(agents !== undefined ? { agents } : {}),
    },
  }
}
