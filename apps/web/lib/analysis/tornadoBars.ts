import type { SensitivityResult } from '@chainmap/sim'

/** One bar of a tornado chart, in outcome units. */
export interface TornadoBar {
  /** The parameter path. */
  readonly parameter: string
  /** Outcome with the parameter moved down / up. */
  readonly outcomeLow: number
  /** Outcome with the parameter moved up. */
  readonly outcomeHigh: number
  /** |outcomeHigh − outcomeLow|. */
  readonly swing: number
}

/** A tornado chart: the bars, the baseline and the span of the axis (both ends included). */
export interface Tornado {
  readonly bars: readonly TornadoBar[]
  readonly baseline: number
  readonly min: number
  readonly max: number
}

/**
 * The tornado chart of a sensitivity result: its `count` strongest drivers (those that move the
 * outcome at all, strongest first) on an axis spanning every bar and the baseline. Infinite
 * outcomes (a lifetime nobody ends) are left out, since they have no place on an axis.
 *
 * @param result - the sensitivity result
 * @param count - bars at most (default 10)
 */
export function tornadoBars(result: SensitivityResult, count = 10): Tornado {
  const bars = result.drivers
    .filter((d) => d.swing > 0 && Number.isFinite(d.outcomeLow) && Number.isFinite(d.outcomeHigh))
    .slice(0, count)
    .map(({ parameter, outcomeLow, outcomeHigh, swing }) => ({
      parameter,
      outcomeLow,
      outcomeHigh,
      swing,
    }))
  let min = result.baseline
  let max = result.baseline
  for (const bar of bars) {
    min = Math.min(min, bar.outcomeLow, bar.outcomeHigh)
    max = Math.max(max, bar.outcomeLow, bar.outcomeHigh)
  }
  if (max === min) {
    min -= 1
    max += 1
  }
  return { bars, baseline: result.baseline, min, max }
}
