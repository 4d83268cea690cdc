import { type BoardScenario, observeScenarios, readScenarios } from '@chainmap/board'
import type { Editor } from 'tldraw'
import { atom, computed } from 'tldraw'
import type * as Y from 'yjs'
import { AnalysisFailed } from './AnalysisFailed'
import type { AnalysisAnswers, AnalysisJob } from './analysisMessages'
import { type AnalysisTask, runAnalysis } from './runAnalysis'

/** The state of one kind of analysis, as the panels show it. */
export type TaskState<T> =
  | { status: 'idle' }
  | { status: 'running'; progress: number }
  | { status: 'done'; value: T; ms: number }
  | { status: 'error'; message: string }

type Kind = AnalysisJob['kind']

/**
 * This person's strategy-analysis state on one board: the shared scenarios (mirrored from the
 * doc), the active scenario (local: each person picks their own; remembered per board in this
 * browser) and the latest result of each analysis. Nothing here is written to the shared doc
 * except through `@chainmap/board`'s scenario functions.
 */
export class AnalysisState {
  /** The board's scenarios, live from the shared document. */
  readonly scenarios = atom<BoardScenario[]>('chainmap scenarios', [])
  /** Id of the scenario the live output simulates, or null for the board as drawn. */
  readonly activeScenarioId = atom<string | null>('chainmap active scenario', null)
  /** Scenarios ticked for the next comparison ('' is the board as drawn), kept across tabs. */
  readonly comparedIds = atom<string[]>('chainmap compared scenarios', [])
  /** Latest comparison. */
  readonly comparison = atom<TaskState<AnalysisAnswers['compare']>>('chainmap comparison', {
    status: 'idle',
  })
  /** Latest sensitivity analysis. */
  readonly sensitivity = atom<TaskState<AnalysisAnswers['sensitivity']>>('chainmap sensitivity', {
    status: 'idle',
  })
  /** Latest goal seek. */
  readonly goalSeek = atom<TaskState<AnalysisAnswers['goalSeek']>>('chainmap goal seek', {
    status: 'idle',
  })
  /** Latest calibration. */
  readonly fit = atom<TaskState<AnalysisAnswers['fit']>>('chainmap fit', { status: 'idle' })

  /** The active scenario, or null (none picked, or deleted by someone meanwhile). */
  readonly activeScenario = computed('chainmap active scenario record', () => {
    const id = this.activeScenarioId.get()
    return id === null ? null : (this.scenarios.get().find((s) => s.id === id) ?? null)
  })

  private readonly tasks = new Map<Kind, AnalysisTask<Kind>>()
  private storageKey: string | null = null

  /**
   * Mirrors the doc's scenarios and restores this browser's active scenario for `room`.
   *
   * @returns a function that stops mirroring and cancels running analyses
   */
  connect(doc: Y.Doc, room: string): () => void {
    this.storageKey = `chainmap:active-scenario:${room}`
    this.scenarios.set(readScenarios(doc))
    const stop = observeScenarios(doc, (list) => this.scenarios.set(list))
    try {
      const stored = localStorage.getItem(this.storageKey)
      if (stored) this.activeScenarioId.set(stored)
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this visit only.
    }
    return () => {
      stop()
      for (const kind of [...this.tasks.keys()]) this.cancel(kind)
    }
  }

  /** Picks the scenario the live output simulates (null: the board as drawn). */
  setActive(id: string | null): void {
    this.activeScenarioId.set(id)
    if (!this.storageKey) return
    try {
      if (id === null) localStorage.removeItem(this.storageKey)
      else localStorage.setItem(this.storageKey, id)
    } catch {
      // See connect().
    }
  }

  /** Starts an analysis in a worker, replacing a running one of the same kind. */
  start<K extends Kind>(job: AnalysisJob & { kind: K }): void {
    this.cancel(job.kind)
    const state = this.stateOf(job.kind)
    state.set({ status: 'running', progress: 0 })
    const task = runAnalysis<Kind>(job as AnalysisJob, (progress) => {
      if (this.tasks.get(job.kind) === task) state.set({ status: 'running', progress })
    })
    this.tasks.set(job.kind, task as AnalysisTask<Kind>)
    task.done.then(
      ({ answer, ms }) => {
        if (this.tasks.get(job.kind) !== task) return
        this.tasks.delete(job.kind)
        state.set({ status: 'done', value: answer, ms })
      },
      (error: unknown) => {
        if (this.tasks.get(job.kind) !== task) return
        this.tasks.delete(job.kind)
        if (error instanceof AnalysisFailed && error.cancelled) state.set({ status: 'idle' })
        else state.set({ status: 'error', message: String((error as Error).message ?? error) })
      },
    )
  }

  /** Stops a running analysis of that kind (its result goes back to idle). */
  cancel(kind: Kind): void {
    const task = this.tasks.get(kind)
    if (!task) return
    this.tasks.delete(kind)
    task.cancel()
    this.stateOf(kind).set({ status: 'idle' })
  }

  /** Forgets a finished result (e.g. closes a comparison). */
  clear(kind: Kind): void {
    this.cancel(kind)
    this.stateOf(kind).set({ status: 'idle' })
  }

  private stateOf(kind: Kind) {
    // One atom per kind; the union of their value types is what start() sets.
    return this[kind === 'compare' ? 'comparison' : kind] as unknown as ReturnType<
      typeof atom<TaskState<unknown>>
    >
  }
}

const states = new WeakMap<Editor, AnalysisState>()

/** The analysis state attached to `editor` (created on first use). */
export function analysisStateFor(editor: Editor): AnalysisState {
  let state = states.get(editor)
  if (!state) {
    state = new AnalysisState()
    states.set(editor, state)
  }
  return state
}
