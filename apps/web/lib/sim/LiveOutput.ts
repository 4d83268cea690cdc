import { atom, type Editor } from 'tldraw'

/** One product's simulated series, indexed like {@link BoardResults.days}. */
export interface ProductSeries {
  users: number[]
  share: number[]
  /** Expected remaining lifetime of a user, in days. */
  expectedLifetime: number
  /** 10th / 90th percentile of users from an agents run, when one has finished. */
  p10?: number[]
  p90?: number[]
}

/** Simulated numbers of a board keyed by shape id (products, links, companies, markets). */
export interface BoardResults {
  engine: 'expected' | 'agents'
  days: number[]
  products: Record<string, ProductSeries>
  links: Record<string, { flow: number[] }>
  companies: Record<string, { users: number[] }>
  markets: Record<string, { users: number[] }>
}

/** State of the on-demand agents run. */
export type AgentsRunState =
  | { status: 'idle' }
  | { status: 'running'; progress: number }
  | { status: 'done'; results: BoardResults }
  | { status: 'error'; message: string }

/**
 * The live, local-only simulation output of one editor: never written to the shared document,
 * since every collaborator computes the same numbers from the same model.
 */
export class LiveOutput {
  /** Latest expected-engine results, or null before the first run. */
  readonly results = atom<BoardResults | null>('chainmap results', null)
  /** Why the board cannot be simulated right now (a model error), if so. */
  readonly problem = atom<string | null>('chainmap model problem', null)
  /** Index into `results.days` the canvas shows. */
  readonly playhead = atom<number>('chainmap playhead', 0)
  /** Whether the timeline is playing. */
  readonly playing = atom<boolean>('chainmap playing', false)
  /** The agents run, if one was asked for. */
  readonly agents = atom<AgentsRunState>('chainmap agents', { status: 'idle' })
  /** Milliseconds since time origin when the latest results arrived (for the benchmark). */
  readonly resultsAt = atom<number>('chainmap results at', 0)

  /** The playhead clamped to the current results. */
  dayIndex(): number {
    const results = this.results.get()
    if (!results || results.days.length === 0) return 0
    return Math.min(Math.max(0, this.playhead.get()), results.days.length - 1)
  }
}

const outputs = new WeakMap<Editor, LiveOutput>()

/** The live output attached to `editor` (created on first use). */
export function liveOutputFor(editor: Editor): LiveOutput {
  let output = outputs.get(editor)
  if (!output) {
    output = new LiveOutput()
    outputs.set(editor, output)
  }
  return output
}
