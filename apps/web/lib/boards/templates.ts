/** A board template: a sim scenario drawn on a new board. */
export interface BoardTemplate {
  id: string
  title: string
  description: string
  /** The scenario's model JSON. */
  load: () => Promise<unknown>
}

/** The templates offered on the home page: `@chainmap/sim`'s story scenarios. */
export const TEMPLATES: readonly BoardTemplate[] = [
  {
    id: 'ecosystem-vs-giant',
    title: 'Ecosystem vs. single-product giant',
    description:
      'A giant launches first; a rival whose linked products pour users into its launch takes the market.',
    load: async () =>
      (await import('@chainmap/sim/scenarios/ecosystem-vs-giant.json', { with: { type: 'json' } }))
        .default,
  },
  {
    id: 'giant-builds-a-chain',
    title: 'The giant builds a chain',
    description: 'The same story, but the giant links its own products first.',
    load: async () =>
      (
        await import('@chainmap/sim/scenarios/giant-builds-a-chain.json', {
          with: { type: 'json' },
        })
      ).default,
  },
]

/** A template by id. */
export function templateById(id: string): BoardTemplate | undefined {
  return TEMPLATES.find((template) => template.id === id)
}
