/** A Prometheus histogram as scraped: cumulative counts by upper bound (`le`, in the metric's unit). */
export type CumulativeHistogram = ReadonlyMap<number, number>

/** Reads histogram `name` from the Prometheus text at `url` (cumulative bucket counts by `le`). */
export async function scrapeHistogram(url: string, name: string): Promise<CumulativeHistogram> {
  const text = await (await fetch(url)).text()
  const buckets = new Map<number, number>()
  const line = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm')
  for (const [, le, count] of text.matchAll(line)) {
    buckets.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), Number(count))
  }
  if (buckets.size === 0) throw new Error(`${url} has no histogram ${name}`)
  return buckets
}

/** Adds (`sign` 1) or subtracts (`sign` -1) `b` bucket by bucket; buckets missing in `a` count 0. */
export function combineHistograms(
  a: CumulativeHistogram,
  b: CumulativeHistogram,
  sign: 1 | -1 = 1,
): CumulativeHistogram {
  const out = new Map(a)
  for (const [le, count] of b) out.set(le, (out.get(le) ?? 0) + sign * count)
  return out
}

/**
 * The `q` quantile (0–1) the way Prometheus' `histogram_quantile` estimates it: linear within the
 * bucket the rank falls in (so no finer than the buckets). NaN when the histogram is empty; the
 * highest finite bound when the rank falls in the +Inf bucket.
 */
export function histogramQuantile(histogram: CumulativeHistogram, q: number): number {
  const bounds = [...histogram.keys()].sort((x, y) => x - y)
  const total = histogram.get(Number.POSITIVE_INFINITY) ?? 0
  if (total <= 0) return Number.NaN
  const rank = q * total
  let lower = 0
  let below = 0
  for (const le of bounds) {
    const count = histogram.get(le) ?? 0
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return lower
      return lower + ((le - lower) * (rank - below)) / Math.max(1, count - below)
    }
    lower = le
    below = count
  }
  return lower
}
