import { modelFromBoard } from '@chainmap/board'
import { type Editor, react } from 'tldraw'
import { analysisStateFor } from '@/lib/analysis/AnalysisState'
import { withActiveScenario } from '@/lib/analysis/withActiveScenario'
import type { BoardSession } from '@/lib/sync/BoardSession'
import { liveOutputFor } from './LiveOutput'
import { SimulationRunner } from './SimulationRunner'

/**
 * Re-simulates the board whenever its shapes or settings change (a burst of changes in one task
 * costs one model):
 * the board becomes a model with `@chainmap/board`'s `modelFromBoard`, and the runner's worker
 * turns it into numbers. Returns the runner and a stop function.
 */
export function startLiveSimulation(
  editor: Editor,
  session: BoardSession,
): { runner: SimulationRunner; stop: () => void } {
  const output = liveOutputFor(editor)
  const runner = new SimulationRunner(output)
  // Strategy analysis: shared scenarios mirrored from the doc, this person's active one applied.
  const stopScenarios = analysisStateFor(editor).connect(
    session.connection.doc,
    session.options.room,
  )
  let scheduled = false
  let stopped = false
  const compute = () => {
    scheduled = false
    if (stopped) return
    try {
      runner.update(withActiveScenario(editor, currentModel(editor, session)))
    } catch (error) {
      output.problem.set(error instanceof Error ? error.message : String(error))
    }
  }
  const stopReact = react('chainmap live simulation', () => {
    editor.getCurrentPageShapes()
    session.settings.get()
    analysisStateFor(editor).activeScenario.get()
    if (!scheduled) {
      scheduled = true
      queueMicrotask(compute)
    }
  })
  return {
    runner,
    stop: () => {
      stopped = true
      stopReact()
      stopScenarios()
      runner.dispose()
    },
  }
}

/** The board's current model (sim JSON), from the shapes on the page and the settings. */
export function currentModel(editor: Editor, session: BoardSession) {
  return modelFromBoard({
    records: editor.getCurrentPageShapes(),
    settings: session.settings.get(),
  })
}
