/**
 * The deepest nesting of arrays and objects any value the server accepts may have, in document
 * content and in presence. Encoders (`JSON.stringify`, lib0's `writeAny`) recurse once per level:
 * thousands of levels overflow the stack, while V8's `JSON.parse` and Yjs's decoders let them in.
 * The board's deepest values (rich text with nested lists) stay well under it.
 */
export const MAX_JSON_DEPTH = 64

/**
 * Whether `value` nests arrays and objects more than `maxDepth` levels deep. Walks without
 * recursion, so a value of any depth is measured without overflowing the stack.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }]
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (typeof top.value !== 'object' || top.value === null) continue
    const depth = top.depth + 1
    if (depth > maxDepth) return true
    const parent = top.value as Record<string, unknown>
    // for…in as lib0's writeAny walks: it also reaches the keys of an object set as `__proto__`.
    for (const key in parent) {
      const child = parent[key]
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth })
    }
  }
  return false
}
