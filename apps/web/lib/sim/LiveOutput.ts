import type { SimulationResult } from '@chainmap/sim'
import { atom, computed, type Editor } from 'tldraw'

/** State of the on-demand agents run. */
export type AgentsRunState =
  | { status: 'idle' }
  | { status: 'running'; progress: number }
  | { status: 'done'; result: SimulationResult }
  | { status: 'error'; message: string }

/**
 * The live, local-only simulation output of one editor: never written to the shared document,
 * since every collaborator computes the same numbers from the same model.
 */
export class LiveOutput {
  /** Latest expected-engine result, or null before the first run. */
  readonly result = atom<SimulationResult | null>('chainmap result', null)
  /** Why the board cannot be simulated right now, if so. */
  readonly problem = atom<string | null>('chainmap model problem', null)
  /** Index into `result.days` the canvas shows; -1 follows the last day. */
  readonly playhead = atom<number>('chainmap playhead', -1)
  /** Whether the timeline is playing. */
  readonly playing = atom<boolean>('chainmap playing', false)
  /** The agents run, if one was asked for. */
  readonly agents = atom<AgentsRunState>('chainmap agents', { status: 'idle' })
  /** Whether a live run is computing or waiting (the numbers shown may be about to change). */
  readonly computing = atom<boolean>('chainmap computing', false)
  /** How long the worker took for the latest live result, in ms (shown to tests and the benchmark). */
  readonly runMs = atom<number | null>('chainmap run ms', null)
  /** How many results have arrived (lets tests and the benchmark wait for fresh numbers). */
  readonly generation = atom<number>('chainmap result generation', 0)

  /**
   * {@link dayIndex} as a signal: it changes only when the shown day does, so what depends on
   * it (every shape's numbers) updates once per new day, not once per playhead write.
   */
  readonly day = computed('chainmap day index', () => this.dayIndex())

  /** The playhead clamped to the current result. */
  dayIndex(): number {
    const result = this.result.get()
    if (!result || result.days.length === 0) return 0
    const last = result.days.length - 1
    const at = this.playhead.get()
    return at < 0 ? last : Math.min(at, last)
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
