import { type Model, parseModel } from '@chainmap/sim'
import { useEditor, useValue } from 'tldraw'
import { withActiveScenario } from '@/lib/analysis/withActiveScenario'
import { currentModel } from '@/lib/sim/startLiveSimulation'
import { useBoardSession } from '../BoardSessionContext'

/** The board's model as drawn and as this person simulates it (active scenario applied). */
export interface BoardModels {
  /** The board as drawn (valid), or null when it cannot be simulated. */
  readonly drawn: Model | null
  /** The board with the active scenario applied, or null. */
  readonly live: Model | null
  /** Why not, when null. */
  readonly problem: string | null
}

/** The board's models, live: re-read whenever shapes, settings or the active scenario change. */
export function useBoardModel(): BoardModels {
  const editor = useEditor()
  const session = useBoardSession()
  return useValue('analysis models', () => {
    try {
      const drawn = parseModel(currentModel(editor, session))
      // Already validated: the drawn model itself, or applyScenario's parsed result.
      const live = withActiveScenario(editor, drawn)
      return { drawn, live, problem: null }
    } catch (error) {
      return {
        drawn: null,
        live: null,
        problem: error instanceof Error ? error.message : String(error),
      }
    }
  }, [editor, session])
}
