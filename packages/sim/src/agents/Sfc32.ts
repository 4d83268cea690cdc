/**
 * The sfc32 pseudo-random generator (Chris Doty-Humphrey's Small Fast Counting generator,
 * 32-bit): 128 bits of state, period at least 2^32, passes PractRand. Seeded through
 * splitmix32 so nearby seeds give unrelated streams.
 */
export class Sfc32 {
  private a: number
  private b: number
  private c: number
  private d: number

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
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** @returns the next 32-bit unsigned integer */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
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
