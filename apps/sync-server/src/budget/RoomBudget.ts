import type * as Y from 'yjs'
import { CloseCodes } from '../closeCodes.js'
import { SyncError } from '../SyncError.js'

/** How large one board may grow on this server. */
export interface RoomLimits {
  /** Encoded bytes of the board's state. */
  readonly maxBytes: number
  /** Yjs items (structs) the board holds: what a live doc's memory grows with. */
  readonly maxItems: number
}

/** The structs of `doc`'s store, deleted ones included (they are merged as they are collected). */
export function countItems(doc: Y.Doc): number {
  let items = 0
  for (const structs of doc.store.clients.values()) items += structs.length
  return items
}

const MiB = 1024 * 1024

function size(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`
}

/**
 * A board's size against its {@link RoomLimits}. Bytes: between exact measures (at load,
 * hibernation and compaction, which encode the state anyway) every accepted update counts in
 * full, so the count errs high. Items: an update is checked for the structs it brings before it is
 * applied, and the board is counted again after (an insert into an item or a deletion splits
 * items the update does not carry), see {@link checkItems}.
 */
export class RoomBudget {
  private bytes = 0
  private items = 0

  /** @param limits - the limits of every board on this server */
  constructor(private readonly limits: RoomLimits) {}

  /** Sets the count from an exact measure of the board. */
  measured(bytes: number, items: number): void {
    this.bytes = bytes
    this.items = items
  }

  /**
   * Throws a {@link SyncError} (`board-full`, 4413) when an update of `bytes` holding `items`
   * would take the board past a limit.
   */
  check(bytes: number, items: number): void {
    if (this.bytes + bytes > this.limits.maxBytes) {
      throw new SyncError(
        'board-full',
        `board full: this edit would take it past ${size(this.limits.maxBytes)}, this server's limit (--max-room-bytes); it was not saved`,
        CloseCodes.boardFull,
      )
    }
    if (this.items + items > this.limits.maxItems) {
      throw new SyncError(
        'board-full',
        `board full: this edit would take it past ${this.limits.maxItems} items, this server's limit (--max-room-items); it was not saved`,
        CloseCodes.boardFull,
      )
    }
  }

  /**
   * Throws a {@link SyncError} (`board-full`) when a board holding `items` after an update is past
   * the item limit; otherwise counts them.
   */
  checkItems(items: number): void {
    if (items > this.limits.maxItems) {
      throw new SyncError(
        'board-full',
        `board full: this edit would take it past ${this.limits.maxItems} items, this server's limit (--max-room-items); it was not saved`,
        CloseCodes.boardFull,
      )
    }
    this.items = items
  }

  /** Counts an accepted update. */
  added(bytes: number, items: number): void {
    this.bytes += bytes
    this.items += items
  }

  /**
   * Throws a {@link SyncError} (`board-too-large`) when a stored board of `bytes` is too large to
   * load: more than twice the limit (snapshot and log together may pass the limit a little) means
   * it was stored under a larger limit, and applying it could stall the node.
   */
  checkStored(bytes: number): void {
    if (bytes <= 2 * this.limits.maxBytes) return
    throw new SyncError(
      'board-too-large',
      `the stored board is ${size(bytes)}, more than twice this server's limit of ${size(this.limits.maxBytes)} (--max-room-bytes): raise the limit to load it`,
      CloseCodes.internalError,
    )
  }
}
