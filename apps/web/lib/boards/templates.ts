import type { Model } from '@chainmap/sim'

/** A board template: a sim scenario drawn on a new board. */
export interface BoardTemplate {
  id: string
  title: string
  description: string
  load: () => Promise<unknown>
}

/** The templates offered on the home page, from `@chainmap/sim`'s scenarios. */
export const TEMPLATES: readonly BoardTemplate[] = []

/** A template by id. */
export function templateById(id: string): BoardTemplate | undefined {
  return TEMPLATES.find((template) => template.id === id)
}

/** Type of a template's model once parsed. */
export type TemplateModel = Model
