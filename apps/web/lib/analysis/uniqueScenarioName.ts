import type { BoardScenario } from '@chainmap/board'

/** `name`, or `name (2)`, `name (3)`… — the first not used by a scenario of the board. */
export function uniqueScenarioName(scenarios: readonly BoardScenario[], name: string): string {
  const taken = new Set(scenarios.map((s) => s.name))
  if (!taken.has(name)) return name
  for (let n = 2; ; n++) if (!taken.has(`${name} (${n})`)) return `${name} (${n})`
}
