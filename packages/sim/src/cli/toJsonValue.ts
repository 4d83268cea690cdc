/**
 * Makes a simulation result JSON-ready: typed arrays become plain arrays and non-finite numbers
 * (an infinite expected lifetime) become `null`.
 *
 * @param value - any result value
 * @returns a plain JSON value
 */
export function toJsonValue(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    return Array.from(value as Float64Array, (x) => (Number.isFinite(x) ? x : null))
  }
  if (Array.isArray(value)) return value.map(toJsonValue)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]))
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  return value
}
