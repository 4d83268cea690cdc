import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SQLITE_FILE_NAME, SqliteStorage } from './SqliteStorage.js'
import { storageContract } from './storageContract.testkit.js'

storageContract(
  'SqliteStorage',
  async () => new SqliteStorage(mkdtempSync(join(tmpdir(), 'cm-sqlite-'))),
)

describe('SqliteStorage on disk', () => {
  it('uses WAL with the chosen synchronous mode and survives reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
    const storage = new SqliteStorage(dir, 'full')
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'kept')
    await storage.append([{ room: 'r', update: Y.encodeStateAsUpdate(doc) }])
    await storage.close()
    const db = new DatabaseSync(join(dir, SQLITE_FILE_NAME))
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
    db.close()
    const reopened = new SqliteStorage(dir, 'normal')
    const stored = await reopened.load('r')
    const copy = new Y.Doc()
    for (const u of stored.updates) Y.applyUpdate(copy, u)
    expect(copy.getText('t').toString()).toBe('kept')
    await reopened.close()
  })

  it('refuses a commit whose cached sequence number another writer took, then recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
    const owner = new SqliteStorage(dir)
    const intruder = new SqliteStorage(dir)
    const update = (text: string) => {
      const doc = new Y.Doc()
      doc.getText('t').insert(0, text)
      return Y.encodeStateAsUpdate(doc)
    }
    expect(await owner.append([{ room: 'r', update: update('a') }])).toEqual([1])
    // Against the rules (restore runs with the server stopped), a second writer appends seq 2.
    expect(await intruder.append([{ room: 'r', update: update('b') }])).toEqual([2])
    await expect(owner.append([{ room: 'r', update: update('c') }])).rejects.toThrow(
      /UNIQUE|PRIMARY/,
    )
    expect(await owner.append([{ room: 'r', update: update('c') }])).toEqual([3])
    const stored = await owner.load('r')
    expect(stored.updates).toHaveLength(3)
    await intruder.close()
    await owner.close()
  })
})
