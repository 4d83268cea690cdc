import * as Y from 'yjs'

/**
 * A two-way wire between docs that can be cut: while cut, updates queue up and are delivered on
 * `reconnect()`, like a provider going offline and online.
 */
export class Wire {
  private connected = true
  private readonly queues = new Map<Y.Doc, Uint8Array[]>()

  /** Wire `a` and `b` together, connected. */
  constructor(a: Y.Doc, b: Y.Doc) {
    this.queues.set(a, [])
    this.queues.set(b, [])
    a.on('update', (update: Uint8Array, origin: unknown) => this.send(update, origin, b))
    b.on('update', (update: Uint8Array, origin: unknown) => this.send(update, origin, a))
  }

  /** Stop delivering updates. */
  cut(): void {
    this.connected = false
  }

  /** Deliver everything queued, then deliver updates as they happen again. */
  reconnect(): void {
    this.connected = true
    for (const [target, queue] of this.queues) {
      for (const update of queue.splice(0)) Y.applyUpdate(target, update, this)
    }
  }

  private send(update: Uint8Array, origin: unknown, target: Y.Doc): void {
    if (origin === this) return
    if (this.connected) Y.applyUpdate(target, update, this)
    else this.queues.get(target)?.push(update)
  }
}
