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
})
