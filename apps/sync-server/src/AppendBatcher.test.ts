import { describe, expect, it } from 'vitest'
import {
  AppendBatcher,
  SYNCED_EARLY_COMMITS_PER_TURN as EARLY_COMMITS_PER_TURN,
} from './AppendBatcher.js'
import { SqliteStorage } from './storage/SqliteStorage.js'
import type { AppendEntry } from './storage/storage.js'

/** Storage on SQLite in memory that records the size of every committed batch. */
function recordingStorage(): { storage: SqliteStorage; batches: number[] } {
  const storage = new SqliteStorage(':memory:')
  const batches: number[] = []
  const append = storage.append.bind(storage)
  storage.append = (entries: readonly AppendEntry[]) => {
    batches.push(entries.length)
    return append(entries)
  }
  return { storage, batches }
}

const bytes = (n: number) => new Uint8Array([n])
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('AppendBatcher', () => {
  it('commits the first appends of a turn without waiting for the end of the turn', async () => {
    const { storage, batches } = recordingStorage()
    const batcher = new AppendBatcher(storage)
    let committedBeforeTurnEnded = false
    let turnEnded = false
    setImmediate(() => {
      turnEnded = true
    })
    await batcher.append('r', bytes(1)).then(() => {
      committedBeforeTurnEnded = !turnEnded
    })
    expect(committedBeforeTurnEnded).toBe(true)
    expect(batches).toEqual([1])
    await storage.close()
  })

  it("commits each callback's appends early, however many callbacks a turn has", async () => {
    const { storage, batches } = recordingStorage()
    const batcher = new AppendBatcher(storage)
    let turnEnded = false
    setImmediate(() => {
      turnEnded = true
    })
    const seqs: number[] = []
    // Each await is a new callback's worth of appends, still within one turn.
    for (let i = 0; i < 20; i++) seqs.push(await batcher.append('r', bytes(i)))
    // Appends of one callback share a commit.
    seqs.push(
      ...(await Promise.all([batcher.append('r', bytes(100)), batcher.append('s', bytes(101))])),
    )
    expect(turnEnded).toBe(false)
    expect(batches).toEqual([...Array(20).fill(1), 2])
    expect(seqs).toEqual([...Array.from({ length: 21 }, (_, i) => i + 1), 1])
    await storage.close()
  })

  it("with a per-turn cap (synced commits), commits callbacks' appends early up to it, then at the end of the turn", async () => {
    const { storage, batches } = recordingStorage()
    const batcher = new AppendBatcher(storage, () => {}, EARLY_COMMITS_PER_TURN)
    const seqs: number[] = []
    // Each await is a new callback's worth of appends, still within one turn.
    for (let i = 0; i < EARLY_COMMITS_PER_TURN; i++) seqs.push(await batcher.append('r', bytes(i)))
    expect(batches).toEqual(Array(EARLY_COMMITS_PER_TURN).fill(1))
    let turnEnded = false
    setImmediate(() => {
      turnEnded = true
    })
    const late = Promise.all([batcher.append('r', bytes(100)), batcher.append('s', bytes(101))])
    await Promise.resolve()
    expect(batches).toHaveLength(EARLY_COMMITS_PER_TURN)
    seqs.push(...(await late))
    expect(turnEnded).toBe(true)
    expect(batches.at(-1)).toBe(2)
    expect(seqs).toEqual([
      ...Array.from({ length: EARLY_COMMITS_PER_TURN + 1 }, (_, i) => i + 1),
      1,
    ])
    // A new turn commits early again.
    await nextTurn()
    await batcher.append('r', bytes(5))
    expect(batches.at(-1)).toBe(1)
    expect(batches).toHaveLength(EARLY_COMMITS_PER_TURN + 2)
    await storage.close()
  })

  it('gathers appends made while a slow commit is in flight into the next commit', async () => {
    const { storage, batches } = recordingStorage()
    const fast = storage.append.bind(storage)
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    storage.append = async (entries: readonly AppendEntry[]) => {
      if (batches.length === 0) await gate
      return fast(entries)
    }
    const batcher = new AppendBatcher(storage)
    const first = batcher.append('r', bytes(1))
    await nextTurn()
    const rest = [2, 3, 4].map((n) => batcher.append('r', bytes(n)))
    await nextTurn()
    release()
    expect(await Promise.all([first, ...rest])).toEqual([1, 2, 3, 4])
    expect(batches).toEqual([1, 3])
    await storage.close()
  })

  it('is idle only when nothing waits for a commit, and flush commits at once', async () => {
    const { storage, batches } = recordingStorage()
    const batcher = new AppendBatcher(storage)
    expect(batcher.idle).toBe(true)
    const pending = batcher.append('r', bytes(1))
    expect(batcher.idle).toBe(false)
    await batcher.flush()
    expect(batcher.idle).toBe(true)
    expect(await pending).toBe(1)
    expect(batches).toEqual([1])
    await storage.close()
  })

  it('rejects every append of a failed batch', async () => {
    const { storage } = recordingStorage()
    const batcher = new AppendBatcher(storage)
    storage.append = () => Promise.reject(new Error('disk full'))
    await expect(batcher.append('r', bytes(1))).rejects.toThrow('disk full')
    await storage.close()
  })
})
