import { parseModel } from '@chainmap/sim'
import type { Editor } from 'tldraw'
import { placeModel, settingsOfModel } from '@/lib/io/placeModel'
import type { BoardSession } from '@/lib/sync/BoardSession'
import { templateById } from './templates'

/** Draws a template's scenario on a new, empty board and takes over its settings. */
export async function fillFromTemplate(
  editor: Editor,
  session: BoardSession,
  templateId: string,
): Promise<void> {
  const template = templateById(templateId)
  if (!template) return
  const model = parseModel(await template.load())
  session.updateSettings(settingsOfModel(model))
  await placeModel(editor, model)
  editor.zoomToFit()
}
