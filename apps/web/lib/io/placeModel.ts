import { boardFromModel } from '@chainmap/board'
import { parseModel } from '@chainmap/sim'
import type { Editor } from 'tldraw'
import type { BoardSession } from '@/lib/sync/BoardSession'
import { withCompanyColors } from './companyColors'
import { layoutModel } from './layoutModel'

/**
 * Draws a model (any JSON; validated by the sim, whose `ModelError` names every bad field) on
 * the current page, laid out in market lanes with elkjs, and takes over its settings
 * (companies without a colour get one from the palette). Shape ids
 * come from the model ids (`@chainmap/board`'s `boardFromModel`), so importing a model again
 * updates its shapes instead of duplicating them.
 */
export async function placeModel(editor: Editor, session: BoardSession, json: unknown) {
  const model = withCompanyColors(parseModel(json))
  const layout = await layoutModel(model)
  const board = boardFromModel(model, layout, { pageId: editor.getCurrentPageId() })
  editor.run(() => {
    editor.store.put(board.shapes)
  })
  session.updateSettings(board.settings)
  editor.zoomToFit()
  return board
}
