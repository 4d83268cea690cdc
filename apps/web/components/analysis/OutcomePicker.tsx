import type { Model } from '@chainmap/sim'
import { useMemo } from 'react'
import { type OutcomeChoice, outcomeChoices } from '@/lib/analysis/outcomeChoices'

/** Props of {@link OutcomePicker}. */
export interface OutcomePickerProps {
  model: Model
  value: string
  onChange: (choice: OutcomeChoice) => void
  testId: string
}

/**
 * The outcome a market question is about, by default a company's share of a market where
 * companies compete (the question boards are drawn to answer).
 */
export function defaultOutcome(model: Model): OutcomeChoice | undefined {
  const choices = outcomeChoices(model)
  const contested = (market: string) =>
    new Set(model.products.filter((p) => p.market === market).map((p) => p.company)).size > 1
  return (
    choices.find((c) => c.outcome.kind === 'companyShare' && contested(c.outcome.market)) ??
    choices[0]
  )
}

/** A select of the outcomes of the board's model at the horizon. */
export function OutcomePicker({ model, value, onChange, testId }: OutcomePickerProps) {
  const choices = useMemo(() => outcomeChoices(model), [model])
  return (
    <label style={{ display: 'block', marginBottom: 6 }}>
      <span style={{ display: 'block', fontSize: 11, color: '#495057' }}>
        Outcome at the horizon
      </span>
      <select
        data-testid={testId}
        value={value}
        onChange={(event) => {
          const choice = choices.find((c) => c.value === event.target.value)
          if (choice) onChange(choice)
        }}
        style={{ width: '100%' }}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  )
}
