import { parseModel } from '@chainmap/sim'
import story from '@chainmap/sim/scenarios/ecosystem-vs-giant.json' with { type: 'json' }
import type { Editor } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { analysisStateFor } from './AnalysisState'
import { withActiveScenario } from './withActiveScenario'

describe('withActiveScenario', () => {
  const model = parseModel(story)

  function editorWith(overrides: Record<string, number> | null): Editor {
    // The state is keyed by the editor object; nothing else of the editor is read.
    const editor = {} as Editor
    const state = analysisStateFor(editor)
    if (overrides) {
      state.scenarios.set([{ id: 'scenario:a', name: 'A', overrides }])
      state.activeScenarioId.set('scenario:a')
    }
    return editor
  }

  it('is the board as drawn without an active scenario, or when the active one was deleted', () => {
    expect(withActiveScenario(editorWith(null), model)).toBe(model)
    const editor = editorWith({ 'markets.social.q': 0.002 })
    analysisStateFor(editor).scenarios.set([])
    expect(withActiveScenario(editor, model)).toBe(model)
  })

  it("applies the active scenario's overrides", () => {
    const applied = withActiveScenario(editorWith({ 'products.jy-pay.churn': 0.0001 }), model)
    expect(parseModel(applied).products.find((p) => p.id === 'jy-pay')?.churn).toBe(0.0001)
    expect(model.products.find((p) => p.id === 'jy-pay')?.churn).toBe(0.0008)
  })

  it('names the scenario and override that no longer fit the board', () => {
    expect(() => withActiveScenario(editorWith({ 'products.gone.churn': 0.1 }), model)).toThrow(
      'scenario "A": override parameter "products.gone.churn": "gone" is not a product id',
    )
  })
})
