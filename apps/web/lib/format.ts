/** Compact human number: 1234 → "1.2k", 2_500_000 → "2.5M". */
export function formatCount(value: number): string {
  const abs = Math.abs(value)
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}B`
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`
  return value.toFixed(0)
}

/** A 0..1 share as a percentage with one decimal. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`
}

/** Days as a short duration: "45 d", "2.3 y". */
export function formatDays(days: number): string {
  if (!Number.isFinite(days)) return '∞'
  if (days >= 365) return `${(days / 365).toFixed(1)} y`
  return `${days.toFixed(0)} d`
}
