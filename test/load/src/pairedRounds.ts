import { binomialDistribution, median } from 'simple-statistics'

/**
 * One figure (a p50, a p99) of two servers compared round by round. The servers take turns in
 * every round under the same load, so a round is a pair; whichever way the machine drifts between
 * rounds, it drifts for both of a pair.
 */
export interface PairedRounds {
  /** Rounds in which the first server's figure was lower. */
  readonly ahead: number
  /** Rounds in which it was higher. */
  readonly behind: number
  /** Rounds in which both were equal. */
  readonly level: number
  /** Median over the rounds of first − second, in ms: below zero, the first was faster. */
  readonly medianDifferenceMs: number
  /**
   * Two-sided sign test: the chance of a split at least this uneven if neither server were
   * faster (level rounds left out). With 6 rounds it is at least 0.03, with 8 at least 0.008.
   */
  readonly pValue: number
}

/**
 * Two-sided sign test: with `ahead` and `behind` counted out of rounds that were not level, how
 * likely a split at least this uneven is when either way is as likely as the other.
 */
export function signTestPValue(ahead: number, behind: number): number {
  const trials = ahead + behind
  if (trials === 0) return 1
  // Cells past the last one the library lists are below its epsilon: taken as 0.
  const cells = binomialDistribution(trials, 0.5) ?? []
  let tail = 0
  for (let k = 0; k <= Math.min(ahead, behind); k++) tail += cells[k] ?? 0
  return Math.min(1, 2 * tail)
}

/**
 * Compares `first` with `second`, the same figure of two servers, paired by round.
 * @throws RangeError if they do not cover the same number of rounds, or cover none
 */
export function compareRounds(first: readonly number[], second: readonly number[]): PairedRounds {
  if (first.length !== second.length || first.length === 0) {
    throw new RangeError(
      `paired rounds need the same number of rounds on both sides, at least one; got ${first.length} and ${second.length}`,
    )
  }
  const differences = first.map((value, i) => value - (second[i] ?? Number.NaN))
  const ahead = differences.filter((d) => d < 0).length
  const behind = differences.filter((d) => d > 0).length
  return {
    ahead,
    behind,
    level: differences.length - ahead - behind,
    medianDifferenceMs: median(differences),
    pValue: signTestPValue(ahead, behind),
  }
}

/** The verdict a comparison supports at the 5 % level, in words. */
export function pairedVerdict(
  paired: PairedRounds,
): 'ahead' | 'behind' | 'no consistent difference' {
  if (paired.pValue >= 0.05) return 'no consistent difference'
  return paired.ahead > paired.behind ? 'ahead' : 'behind'
}

/** One line of the bench's output: how `paired` came out, with its figures. */
export function describePaired(figure: string, paired: PairedRounds): string {
  const rounds = paired.ahead + paired.behind + paired.level
  const sign = paired.medianDifferenceMs > 0 ? '+' : ''
  const level = paired.level > 0 ? `, level in ${paired.level}` : ''
  return `${figure} ahead in ${paired.ahead}, behind in ${paired.behind}${level} of ${rounds} rounds (median difference ${sign}${paired.medianDifferenceMs.toFixed(2)} ms, sign test p = ${paired.pValue.toFixed(3)}: ${pairedVerdict(paired)})`
}
