/**
 * The sfc32 pseudo-random generator (Chris Doty-Humphrey's Small Fast Counting generator,
 * 32-bit): 128 bits of state, period at least 2^32, passes PractRand. Seeded through
 * splitmix32 so nearby seeds give unrelated streams.
 */
export class Sfc32 {
  /**
   * The four state words a, b, c, d. An Int32Array rather than four number fields: the words
   * leave V8's small-integer range, so fields would be boxed doubles and every draw would pay
   * for them (several times slower in the agents engine's hot loops).
   */
  private readonly s = new Int32Array(4)

  /**
   * @param seed - any 32-bit unsigned integer
   * @param stream - a second number mixed in, to derive independent streams (e.g. run index)
   */
  constructor(seed: number, stream = 0) {
    let state = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0
    const next = () => {
      state = (state + 0x9e3779b9) | 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s[0] = next()
    this.s[1] = next()
    this.s[2] = next()
    this.s[3] = next()
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** @returns the next 32-bit unsigned integer */
  nextUint32(): number {
    const s = this.s
    const a = s[0]!
    const b = s[1]!
    const c = s[2]!
    const d = s[3]!
    const t = (((a + b) | 0) + d) | 0
    s[3] = (d + 1) | 0
    s[0] = b ^ (b >>> 9)
    s[1] = (c + (c << 3)) | 0
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0
    return t >>> 0
  }

  /** @returns a uniform number in [0, 1) with 32 bits of resolution */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** @returns a uniform number in (0, 1], safe to take the logarithm of */
  nextOpen(): number {
    return (this.nextUint32() + 1) / 4294967296
  }
}
