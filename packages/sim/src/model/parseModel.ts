import { formatIssue } from './formatIssue.js'
import { ModelError } from './ModelError.js'
import { modelSchema } from './modelSchema.js'
import { referenceProblems } from './referenceProblems.js'
import type { Model } from './types.js'

/**
 * Validates a plain JSON value as a chainmap model.
 *
 * @param input - the parsed JSON (any value)
 * @returns the model, with unknown keys stripped
 * @throws {@link ModelError} listing every problem (field rules and cross-references) when invalid
 */
export function parseModel(input: unknown): Model {
  const parsed = modelSchema.safeParse(input, { reportInput: true })
  const problems = parsed.success ? [] : parsed.error.issues.map(formatIssue)
  problems.push(...referenceProblems(input))
  if (problems.length > 0 || !parsed.success) throw new ModelError(problems)
  return parsed.data
}
