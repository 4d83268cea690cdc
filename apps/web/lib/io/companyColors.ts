import type { Model } from '@chainmap/sim'
import { COMPANY_COLORS } from '../shapes/chainShapeTypes'

/**
 * The model with a colour for every company that has none, from the board's palette in turn,
 * so an imported model's companies (and the products that wear their colours) can be told apart.
 * Colours a model sets are kept.
 */
export function withCompanyColors(model: Model): Model {
  let next = 0
  return {
    ...model,
    companies: model.companies.map((company) =>
      company.color
        ? company
        : {
            ...company,
            color: COMPANY_COLORS[next++ % COMPANY_COLORS.length] ?? COMPANY_COLORS[0],
          },
    ),
  }
}
