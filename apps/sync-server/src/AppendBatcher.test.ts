import { describe, expect, it } from 'vitest'
import { AppendBatcher } from './AppendBatcher.js'
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

  it('shares one commit among appends made later in the same turn, and keeps their order', async () => {
    const { storage, batches } = recordingStorage()
    const batcher = new AppendBatcher(storage)
    const first = await batcher.append('r', bytes(1))
    // Still the same turn: these wait for its end and commit together.
    const rest = await Promise.all([
      batcher.append('r', bytes(2)),
      batcher.append('r', bytes(3)),
      batcher.append('s', bytes(4)),
    ])
    expect([first, ...rest]).toEqual([1, 2, 3, 1])
    expect(batches).toEqual([1, 3])
    // A new turn commits early again.
    await nextTurn()
    await batcher.append('r', bytes(5))
    expect(batches).toEqual([1, 3, 1])
    expect((await storage.load('r')).updates).toEqual([bytes(1), bytes(2), bytes(3), bytes(5)])
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
