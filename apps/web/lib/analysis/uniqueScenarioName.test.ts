import { describe, expect, it } from 'vitest'
import { uniqueScenarioName } from './uniqueScenarioName'

describe('uniqueScenarioName', () => {
  it('keeps a free name and numbers a taken one', () => {
    const scenarios = [
      { id: 'a', name: 'Fit', overrides: {} },
      { id: 'b', name: 'Fit (2)', overrides: {} },
    ]
    expect(uniqueScenarioName(scenarios, 'Chain')).toBe('Chain')
    expect(uniqueScenarioName(scenarios, 'Fit')).toBe('Fit (3)')
  })
})
