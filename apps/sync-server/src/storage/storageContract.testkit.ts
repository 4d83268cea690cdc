import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SyncError } from '../SyncError.js'
import type { RoomStorage } from './storage.js'

function update(key: string, value: number): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('m').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

function stateOf(stored: { snapshot: Uint8Array | null; updates: readonly Uint8Array[] }): unknown {
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const u of stored.updates) Y.applyUpdate(doc, u)
  return doc.getMap('m').toJSON()
}

/**
 * The contract every {@link RoomStorage} keeps; each implementation's test file runs it with a
 * factory for a fresh, empty store (SQLite and PostgreSQL).
 */
export function storageContract(name: string, open: () => Promise<RoomStorage>): void {
  describe(`${name} keeps the RoomStorage contract`, () => {
    let storage: RoomStorage
    beforeEach(async () => {
      storage = await open()
    })
    afterEach(async () => {
      await storage.close()
    })

    it('loads an unknown room as empty', async () => {
      expect(await storage.load('nobody')).toEqual({ snapshot: null, updates: [], seq: 0 })
    })

    it('appends in order with per-room increasing sequence numbers, all in one call', async () => {
      const seqs = await storage.append([
        { room: 'a', update: update('x', 1) },
        { room: 'b', update: update('y', 1) },
        { room: 'a', update: update('z', 2) },
      ])
      expect(seqs).toEqual([1, 1, 2])
      expect(await storage.append([{ room: 'a', update: update('w', 3) }])).toEqual([3])
      const a = await storage.load('a')
      expect(a.seq).toBe(3)
      expect(a.updates).toHaveLength(3)
      expect(stateOf(a)).toEqual({ x: 1, z: 2, w: 3 })
    })

    it('compaction folds the log into a snapshot and keeps later rows and numbering', async () => {
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => updates.push(u))
      for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i)
      await storage.append(updates.slice(0, 3).map((u) => ({ room: 'r', update: u })))
      const folded = new Y.Doc()
      for (const u of updates.slice(0, 3)) Y.applyUpdate(folded, u)
      await storage.compact('r', Y.encodeStateAsUpdate(folded), 3)
      await storage.append(updates.slice(3).map((u) => ({ room: 'r', update: u })))
      const stored = await storage.load('r')
      expect(stored.snapshot).not.toBeNull()
      expect(stored.updates).toHaveLength(2)
      expect(stored.seq).toBe(5)
      expect(stateOf(stored)).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 })
      // An older compaction arriving late never replaces a newer snapshot.
      await storage.compact('r', Y.encodeStateAsUpdate(new Y.Doc()), 2)
      expect(stateOf(await storage.load('r'))).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 })
    })

    it('refuses to fold updates it does not hold, and changes nothing', async () => {
      await storage.append([
        { room: 'r', update: update('x', 1) },
        { room: 'r', update: update('y', 2) },
      ])
      // A node that applied update 5 of a room whose storage ends at 2: storage lost commits.
      const refused = storage.compact('r', update('node', 5), 5)
      await expect(refused).rejects.toBeInstanceOf(SyncError)
      await expect(refused).rejects.toMatchObject({
        code: 'storage-went-back',
        message: expect.stringContaining(
          "room r: a compaction through update 5 was refused, as storage's last update is 2",
        ),
      })
      await expect(storage.compact('unknown', update('node', 1), 1)).rejects.toMatchObject({
        code: 'storage-went-back',
      })
      const stored = await storage.load('r')
      expect(stored).toMatchObject({ snapshot: null, seq: 2 })
      expect(stateOf(stored)).toEqual({ x: 1, y: 2 })
      expect(await storage.append([{ room: 'r', update: update('z', 3) }])).toEqual([3])
    })

    it('replace swaps the whole state and numbering continues upwards', async () => {
      await storage.append([{ room: 'r', update: update('old', 1) }])
      await storage.replace('r', update('restored', 2))
      const stored = await storage.load('r')
      expect(stateOf(stored)).toEqual({ restored: 2 })
      const [seq] = await storage.append([{ room: 'r', update: update('after', 3) }])
      expect(seq).toBeGreaterThan(1)
      expect(stateOf(await storage.load('r'))).toEqual({ restored: 2, after: 3 })
    })

    it('reads what a lagging node lacks, from the rows or from the snapshot once folded', async () => {
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => updates.push(u))
      for (let i = 0; i < 6; i++) doc.getMap('m').set(`k${i}`, i)
      await storage.append(updates.slice(0, 4).map((u) => ({ room: 'r', update: u })))
      const lagging = await storage.readSince('r', 2)
      expect(lagging).toMatchObject({ snapshot: null, seq: 4 })
      expect(lagging.updates).toHaveLength(2)
      expect(await storage.readSince('r', 4)).toEqual({ snapshot: null, updates: [], seq: 4 })
      expect(await storage.readSince('nobody', 0)).toEqual({ snapshot: null, updates: [], seq: 0 })
      const folded = new Y.Doc()
      for (const u of updates.slice(0, 4)) Y.applyUpdate(folded, u)
      await storage.compact('r', Y.encodeStateAsUpdate(folded), 4)
      await storage.append(updates.slice(4).map((u) => ({ room: 'r', update: u })))
      // Rows 3 and 4 are gone: the lagging node gets the snapshot and what came after it.
      const after = await storage.readSince('r', 2)
      expect(after.snapshot).not.toBeNull()
      expect(after.updates).toHaveLength(2)
      expect(after.seq).toBe(6)
      const lagged = new Y.Doc()
      for (const u of updates.slice(0, 2)) Y.applyUpdate(lagged, u)
      if (after.snapshot) Y.applyUpdate(lagged, after.snapshot)
      for (const u of after.updates) Y.applyUpdate(lagged, u)
      expect(lagged.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      const current = await storage.readSince('r', 5)
      expect(current.snapshot).toBeNull()
      expect(current.updates).toHaveLength(1)
    })

    it('reports each room’s last sequence number, 0 for unknown rooms', async () => {
      await storage.append([
        { room: 'a', update: update('x', 1) },
        { room: 'a', update: update('y', 2) },
        { room: 'b', update: update('z', 3) },
      ])
      await storage.compact('b', update('z', 3), 1)
      expect(await storage.lastSeqs(['a', 'b', 'c'])).toEqual(
        new Map([
          ['a', 2],
          ['b', 1],
          ['c', 0],
        ]),
      )
    })

    it('numbers concurrent appends to one room without gaps or repeats', async () => {
      const batches = Array.from({ length: 8 }, (_, i) =>
        storage.append([
          { room: 'busy', update: update(`a${i}`, i) },
          { room: 'busy', update: update(`b${i}`, i) },
        ]),
      )
      const seqs = (await Promise.all(batches)).flat().sort((x, y) => x - y)
      expect(seqs).toEqual(Array.from({ length: 16 }, (_, i) => i + 1))
      expect((await storage.load('busy')).updates).toHaveLength(16)
    })

    it('answers ping', async () => {
      await expect(storage.ping()).resolves.toBeUndefined()
    })
  })
}
