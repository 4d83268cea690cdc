import { formatCount, formatDays, formatShare } from '@/lib/format'
import type { OutcomeChoice } from './outcomeChoices'

/** An outcome's value as the panels show it (a share in %, people as 1.2M, days, depth). */
export function formatOutcomeValue(format: OutcomeChoice['format'], value: number): string {
  switch (format) {
    case 'share':
      return formatShare(value)
    case 'count':
      return formatCount(value)
    case 'days':
      return formatDays(value)
    case 'depth':
      return value.toFixed(2)
  }
}
