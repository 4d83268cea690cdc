/**
 * Counts open connections per key (an address, a room) against a maximum.
 */
export class ConnectionCounter {
  private readonly counts = new Map<string, number>()

  /** @param max - connections allowed per key */
  constructor(private readonly max: number) {}

  /** Counts one more connection for `key`; `false` (and nothing counted) if it is at the maximum. */
  tryAdd(key: string): boolean {
    const count = this.counts.get(key) ?? 0
    if (count >= this.max) return false
    this.counts.set(key, count + 1)
    return true
  }

  /** Forgets one connection for `key`. */
  remove(key: string): void {
    const count = this.counts.get(key) ?? 0
    if (count <= 1) this.counts.delete(key)
    else this.counts.set(key, count - 1)
  }
}
