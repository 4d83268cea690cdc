import type { z } from 'zod'
import { formatPath } from './formatPath.js'
import type { ModelProblem } from './ModelError.js'

function describeReceived(input: unknown): string {
  if (input === undefined) return 'missing'
  if (input === null) return 'null'
  if (typeof input === 'number' && Number.isNaN(input)) return 'NaN'
  if (Array.isArray(input)) return 'an array'
  return typeof input
}

/**
 * Turns one zod issue into a problem whose message names the path and the rule.
 *
 * @param issue - an issue from a failed `safeParse`
 * @returns the problem, e.g. `markets[0].p must be >= 0`
 */
export function formatIssue(issue: z.core.$ZodIssue): ModelProblem {
  const path = formatPath(issue.path)
  let rule: string
  switch (issue.code) {
    case 'too_small':
      rule =
        issue.origin === 'string'
          ? 'must not be empty'
          : `must be ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`
      break
    case 'too_big':
      rule =
        issue.origin === 'string'
          ? `must be at most ${String(issue.maximum)} characters`
          : `must be ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`
      break
    case 'invalid_type': {
      const received = describeReceived(issue.input)
      const finite = issue.expected === 'number' && typeof issue.input === 'number' ? ' finite' : ''
      const article = /^[aeiou]/.test(issue.expected) ? 'an' : 'a'
      const shown = received === 'number' ? String(issue.input) : received
      rule =
        issue.expected === 'int'
          ? `must be an integer (got ${shown})`
          : `must be ${finite ? 'a finite' : article} ${issue.expected} (got ${shown})`
      break
    }
    case 'invalid_value':
      rule = `must be ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`
      break
    case 'not_multiple_of':
      rule = `must be a multiple of ${String(issue.divisor)}`
      break
    default:
      rule = issue.message
  }
  return { path: path === 'model' ? '' : path, message: `${path} ${rule}` }
}
