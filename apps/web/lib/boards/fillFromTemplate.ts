import type { Editor } from 'tldraw'
import { placeModel } from '@/lib/io/placeModel'
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
  await placeModel(editor, session, await template.load())
}
