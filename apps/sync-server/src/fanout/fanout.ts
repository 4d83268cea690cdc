/** Something one node tells the other nodes serving the same room. */
export type FanoutEvent =
  | {
      /** A committed document update; `seq` is its storage sequence number (for gap detection). */
      readonly kind: 'update'
      readonly seq: number
      readonly update: Uint8Array
    }
  | {
      /** An awareness (presence) update; not stored. */
      readonly kind: 'awareness'
      readonly update: Uint8Array
    }

/** Called with events other nodes published for a room. */
export type FanoutListener = (event: FanoutEvent) => void

/**
 * Cross-node fan-out of a room's traffic. A node relays to its own connections itself; the fan-out
 * carries events to the other nodes. Updates are published only after they were committed to
 * storage, so a node that misses an event can always catch up from storage (`RedisFanout`).
 */
export interface Fanout {
  /** Publishes `event` for `room` to every other node subscribed to it. */
  publish(room: string, event: FanoutEvent): void
  /** Receives other nodes' events for `room` until the returned function is called. */
  subscribe(room: string, listener: FanoutListener): () => void
  /** Resolves if the fan-out's backend answers; used by `/readyz`. */
  ping(): Promise<void>
  /** Stops all subscriptions and releases connections. */
  close(): Promise<void>
}
