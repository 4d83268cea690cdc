/**
 * Tabulates an additive function over every index of a mixed-radix layout without decoding
 * indices: `table[index] = Σ_c term(c, digit_c)`, where coordinate 0 is the most significant.
 *
 * @param sizes - number of digits of each coordinate
 * @param term - the contribution of digit `d` of coordinate `c`
 * @returns the table, one entry per index (length Π sizes)
 */
export function expandMixedRadix(
  sizes: ArrayLike<number>,
  term: (coord: number, digit: number) => number,
): Int32Array {
  let table = new Int32Array(1)
  for (let c = 0; c < sizes.length; c++) {
    const size = sizes[c]!
    const terms = new Int32Array(size)
    for (let d = 0; d < size; d++) terms[d] = term(c, d)
    const next = new Int32Array(table.length * size)
    for (let i = 0, at = 0; i < table.length; i++) {
      const base = table[i]!
      for (let d = 0; d < size; d++) next[at++] = base + terms[d]!
    }
    table = next
  }
  return table
}
