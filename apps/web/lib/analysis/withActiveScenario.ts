import { AnalysisError, applyScenario, type Model, ModelError } from '@chainmap/sim'
import type { Editor } from 'tldraw'
import { analysisStateFor } from './AnalysisState'

/**
 * The board's model with this person's active scenario applied (the model itself when none is
 * active): what the live output and the agents run simulate. Reactive inside a `react`.
 *
 * @param editor - the board's editor (its analysis state holds the active scenario)
 * @param model - the board's model (`currentModel`)
 * @throws Error naming the scenario and override when the active scenario no longer fits the
 *   board (say, a product it overrides was deleted)
 */
export function withActiveScenario(editor: Editor, model: Model): Model
export function withActiveScenario(editor: Editor, model: unknown): unknown
export function withActiveScenario(editor: Editor, model: unknown): unknown {
  const scenario = analysisStateFor(editor).activeScenario.get()
  if (!scenario || Object.keys(scenario.overrides).length === 0) return model
  try {
    return applyScenario(model, scenario)
  } catch (error) {
    // An invalid board is reported by the simulation itself, with the sim's message.
    if (error instanceof ModelError) return model
    if (error instanceof AnalysisError) throw new Error(error.problems.join('; '))
    throw error
  }
}
