import type { IndexKey } from '../shapes/chainmapShapeRecord.js'

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The `n`-th integer fractional index key (n ≥ 0): `a0`…`az`, `b00`…`bzz`, `c000`…, the same
 * sequence tldraw's `getIndexAbove` walks, so shapes written in model order sort in model order.
 */
export function indexKeyAt(n: number): IndexKey {
  let remaining = n
  let digits = 1
  let head = 'a'.charCodeAt(0)
  while (remaining >= DIGITS.length ** digits) {
    remaining -= DIGITS.length ** digits
    digits += 1
    head += 1
  }
  let tail = ''
  for (let i = 0; i < digits; i++) {
    tail = DIGITS.charAt(remaining % DIGITS.length) + tail
    remaining = Math.floor(remaining / DIGITS.length)
  }
  return `${String.fromCharCode(head)}${tail}` as IndexKey
}
