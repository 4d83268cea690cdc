/**
 * Formats an issue path the way a JavaScript reader writes it: `markets[0].p`.
 *
 * @param path - property keys and array indices from the root
 * @returns the dotted path, or `model` for the root
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`
    else text += text === '' ? String(key) : `.${String(key)}`
  }
  return text === '' ? 'model' : text
}
