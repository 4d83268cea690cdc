import { z } from 'zod'
import { modelSchema } from './modelSchema.js'

/**
 * The JSON Schema (draft 2020-12) of the model format, generated from the zod schema. It
 * covers the per-field rules; cross-references (ids, reach <= population, the step cap) are
 * only checked by `parseModel`.
 *
 * @returns a fresh JSON Schema object
 */
export function modelJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(modelSchema, { io: 'input' }),
    title: 'chainmap model',
    description:
      'A chainmap ecosystem-chain model, version 1. Rates are per day, counts are people.',
  }
}
