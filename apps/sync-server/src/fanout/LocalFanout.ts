import type { Fanout, FanoutEvent, FanoutListener } from './fanout.js'

/**
 * The single-node {@link Fanout}: an in-process bus. Each {@link LocalFanout.node} is one node's
 * handle; events reach the other handles of the same bus, never the publisher. One chainmap-sync
 * process uses one handle and so publishes to nobody; tests use several to play several nodes.
 */
export class LocalFanout {
  private readonly listeners = new Map<string, Set<{ node: object; listener: FanoutListener }>>()

  /** A {@link Fanout} handle for one node on this bus. */
  node(): Fanout {
    const self = {}
    return {
      publish: (room: string, event: FanoutEvent) => {
        for (const entry of this.listeners.get(room) ?? []) {
          if (entry.node !== self) entry.listener(event)
        }
      },
      subscribe: (room: string, listener: FanoutListener) => {
        let set = this.listeners.get(room)
        if (!set) {
          set = new Set()
          this.listeners.set(room, set)
        }
        const entry = { node: self, listener }
        set.add(entry)
        return () => {
          set.delete(entry)
          if (set.size === 0) this.listeners.delete(room)
        }
      },
      ping: async () => {},
      close: async () => {
        for (const [room, set] of this.listeners) {
          for (const entry of set) if (entry.node === self) set.delete(entry)
          if (set.size === 0) this.listeners.delete(room)
        }
      },
    }
  }
}
