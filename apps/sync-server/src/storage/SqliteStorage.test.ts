import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { builtModule } from '../testkit/builtModule.js'
import { JOURNAL_FILE_NAME, SQLITE_FILE_NAME, SqliteStorage } from './SqliteStorage.js'
import { storageContract } from './storageContract.testkit.js'
import { UpdateJournal } from './UpdateJournal.js'

const BUILT_STORAGE = builtModule('storage/SqliteStorage.js')

storageContract(
  'SqliteStorage',
  async () => new SqliteStorage(mkdtempSync(join(tmpdir(), 'cm-sqlite-'))),
)

describe('SqliteStorage on disk', () => {
  it('loses no append when the process is killed before the journal reaches the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
    // A separate process appends, and is killed by SIGKILL as soon as the appends resolve: before
    // the journal's flush timer can put them into the database.
    const script = `
      import { SqliteStorage } from ${JSON.stringify(BUILT_STORAGE)}
      import * as Y from 'yjs'
      const storage = new SqliteStorage(${JSON.stringify(dir)})
      for (let i = 0; i < 50; i++) {
        const doc = new Y.Doc()
        doc.getText('t' + i).insert(0, 'edit ' + i)
        await storage.append([{ room: i % 2 ? 'odd' : 'even', update: Y.encodeStateAsUpdate(doc) }])
      }
      process.kill(process.pid, 'SIGKILL')
    `
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dirname(BUILT_STORAGE),
      encoding: 'utf8',
    })
    expect(child.signal, child.stderr).toBe('SIGKILL')
    // The database alone lacks the appends: the journal is what kept them.
    const db = new DatabaseSync(join(dir, SQLITE_FILE_NAME))
    const rows = db.prepare('SELECT count(*) AS n FROM updates').get() as { n: number }
    db.close()
    expect(rows.n).toBeLessThan(50)
    expect(statSync(join(dir, JOURNAL_FILE_NAME)).size).toBeGreaterThan(0)

    const reopened = new SqliteStorage(dir)
    const even = await reopened.load('even')
    const odd = await reopened.load('odd')
    expect([even.seq, odd.seq]).toEqual([25, 25])
    expect([...texts(even.updates), ...texts(odd.updates)].sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `edit ${i}`).sort(),
    )
    // Recovered into the database, so the journal starts empty.
    expect(statSync(join(dir, JOURNAL_FILE_NAME)).size).toBe(0)
    await reopened.close()
  })

  it('recovers from the journal only what the database lacks, past a torn last record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
    const storage = new SqliteStorage(dir)
    const a = textUpdate('a')
    const b = textUpdate('b')
    const c = textUpdate('c')
    const d = textUpdate('d')
    await storage.append([{ room: 'folded', update: a }])
    await storage.append([{ room: 'folded', update: b }])
    await storage.compact('folded', mergedState([a, b]), 2)
    await storage.append([{ room: 'kept', update: c }])
    await storage.close()
    // A journal as a killed process could leave it: updates already folded into a snapshot, one
    // already in the database, one that never got there, and half of one more.
    const journal = new UpdateJournal(join(dir, JOURNAL_FILE_NAME), false)
    journal.append([
      { room: 'folded', seq: 1, update: a },
      { room: 'folded', seq: 2, update: b },
      { room: 'kept', seq: 1, update: c },
      { room: 'kept', seq: 2, update: d },
    ])
    journal.close()
    appendFileSync(join(dir, JOURNAL_FILE_NAME), Buffer.from([40, 0, 0, 0, 1, 2, 3]))

    const reopened = new SqliteStorage(dir)
    const folded = await reopened.load('folded')
    expect(folded.updates).toHaveLength(0)
    expect(folded.seq).toBe(2)
    const kept = await reopened.load('kept')
    expect(kept.seq).toBe(2)
    expect(texts(kept.updates)).toEqual(['c', 'd'])
    expect(await reopened.append([{ room: 'kept', update: textUpdate('e') }])).toEqual([3])
    await reopened.close()
    // No folded update came back as a row: only kept's three.
    const db = new DatabaseSync(join(dir, SQLITE_FILE_NAME))
    expect(db.prepare('SELECT room, seq FROM updates ORDER BY room, seq').all()).toEqual([
      { room: 'kept', seq: 1 },
      { room: 'kept', seq: 2 },
      { room: 'kept', seq: 3 },
    ])
    db.close()
  })

  it('flushes journaled updates into the database within milliseconds, and empties a big journal', async () => {
    const { dir, storage, db, rows } = storageWithObserver()
    await storage.append([{ room: 'r', update: textUpdate('a') }])
    expect(rows()).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(rows()).toBe(1)
    const journal = join(dir, JOURNAL_FILE_NAME)
    expect(statSync(journal).size).toBeGreaterThan(0)
    // Past 1 MiB the journal is emptied once its updates are in the database.
    const big = new Uint8Array(300_000)
    for (let i = 0; i < 4; i++) await storage.append([{ room: 'big', update: big }])
    expect(statSync(journal).size).toBeGreaterThan(1_200_000)
    await storage.load('big')
    expect(statSync(journal).size).toBe(0)
    await storage.append([{ room: 'r', update: textUpdate('b') }])
    expect(statSync(journal).size).toBeGreaterThan(0)
    // A clean close leaves everything in the database and nothing in the journal.
    await storage.close()
    expect(statSync(journal).size).toBe(0)
    expect(rows()).toBe(6)
    db.close()
  })

  it('retries a failed background flush every second until the database takes it', async () => {
    const { storage, db, rows } = storageWithObserver()
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON updates
      BEGIN SELECT RAISE(ABORT, 'database refuses writes'); END`)
    await storage.append([{ room: 'r', update: textUpdate('a') }])
    // The 5 ms flush fails in the background: appends are refused from then on.
    await new Promise((resolve) => setTimeout(resolve, 100))
    await expect(storage.append([{ room: 'r', update: textUpdate('b') }])).rejects.toThrow(
      'database refuses writes',
    )
    db.exec('DROP TRIGGER refuse')
    // Nothing reads meanwhile: only the retry timer can put the update in.
    await new Promise((resolve) => setTimeout(resolve, 1300))
    expect(rows()).toBe(1)
    expect(await storage.append([{ room: 'r', update: textUpdate('b') }])).toEqual([2])
    await storage.close()
    db.close()
  })

  it('read-only beside a writer: loads what is only journaled and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
    const writer = new SqliteStorage(dir)
    await writer.append([{ room: 'r', update: textUpdate('a') }])
    await writer.load('r') // flushed into the database
    await writer.append([{ room: 'r', update: textUpdate('b') }]) // journaled only
    const journalBytes = statSync(join(dir, JOURNAL_FILE_NAME)).size
    const reader = new SqliteStorage(dir, 'normal', { readOnly: true })
    const seen = await reader.load('r')
    expect(seen.seq).toBe(2)
    expect(texts(seen.updates)).toEqual(['a', 'b'])
    await expect(reader.append([{ room: 'r', update: textUpdate('x') }])).rejects.toThrow(
      'read-only',
    )
    await expect(reader.replace('r', textUpdate('x'))).rejects.toThrow('read-only')
    await reader.close()
    expect(statSync(join(dir, JOURNAL_FILE_NAME)).size).toBe(journalBytes)
    expect(await writer.append([{ room: 'r', update: textUpdate('c') }])).toEqual([3])
    expect(texts((await writer.load('r')).updates)).toEqual(['a', 'b', 'c'])
    await writer.close()
  })

  it('read-only: takes journaled updates only as far as they follow the database without a gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
    const writer = new SqliteStorage(dir)
    await writer.append([{ room: 'r', update: textUpdate('a') }])
    await writer.close()
    // As a reader could find it had the server emptied the journal between the reader's two reads:
    // seq 2 went into the database and out of the journal, unseen; 3 and 4 are journaled.
    const journal = new UpdateJournal(join(dir, JOURNAL_FILE_NAME), false)
    journal.append([
      { room: 'r', seq: 3, update: textUpdate('c') },
      { room: 'r', seq: 4, update: textUpdate('d') },
    ])
    journal.close()
    const reader = new SqliteStorage(dir, 'normal', { readOnly: true })
    const seen = await reader.load('r')
    expect(seen.seq).toBe(1)
    expect(texts(seen.updates)).toEqual(['a'])
    await reader.close()
    expect(() => new SqliteStorage(join(dir, 'typo'), 'normal', { readOnly: true })).toThrow(
      /no chainmap-sync database/,
    )
  })

  it('refuses appends while the database refuses their flush, and takes them once it accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
    const storage = new SqliteStorage(dir)
    // Another connection makes every insert fail, as a full disk or a broken file would.
    const saboteur = new DatabaseSync(join(dir, SQLITE_FILE_NAME))
    saboteur.exec(`CREATE TRIGGER refuse BEFORE INSERT ON updates
      BEGIN SELECT RAISE(ABORT, 'database refuses writes'); END`)
    expect(await storage.append([{ room: 'r', update: textUpdate('a') }])).toEqual([1])
    await expect(storage.load('r')).rejects.toThrow('database refuses writes')
    await expect(storage.append([{ room: 'r', update: textUpdate('b') }])).rejects.toThrow(
      'database refuses writes',
    )
    await expect(storage.ping()).rejects.toThrow('database refuses writes')
    saboteur.exec('DROP TRIGGER refuse')
    saboteur.close()
    const stored = await storage.load('r')
    expect(texts(stored.updates)).toEqual(['a'])
    await storage.ping()
    expect(await storage.append([{ room: 'r', update: textUpdate('b') }])).toEqual([2])
    await storage.close()
  })

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

  it('keeps both updates when another writer takes a sequence number it journaled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
    const owner = new SqliteStorage(dir)
    expect(await owner.append([{ room: 'r', update: textUpdate('a') }])).toEqual([1])
    // Against the rules (restore runs with the server stopped), a second writer opens the folder
    // and appends seq 2; the owner's cache still says 1.
    const intruder = new SqliteStorage(dir)
    expect(await intruder.append([{ room: 'r', update: textUpdate('b') }])).toEqual([2])
    expect(await owner.append([{ room: 'r', update: textUpdate('c') }])).toEqual([2])
    await intruder.close()
    const stored = await owner.load('r')
    expect(stored.updates).toHaveLength(3)
    expect(stored.seq).toBe(3)
    expect(texts(stored.updates)).toEqual(['a', 'b', 'c'])
    await owner.close()
  })
})

/** A Yjs update that adds `text` as the only entry of its own text type (named after it). */
function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText(text).insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

/** The texts that `updates` hold, sorted. */
function texts(updates: readonly Uint8Array[]): string[] {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return [...doc.share.keys()].map((name) => doc.getText(name).toString()).sort()
}

/** One update holding everything in `updates`. */
function mergedState(updates: readonly Uint8Array[]): Uint8Array {
  return Y.mergeUpdates([...updates])
}

/** Storage in a new folder, and a second connection to its database that counts the stored rows. */
function storageWithObserver() {
  const dir = mkdtempSync(join(tmpdir(), 'cm-sqlite-'))
  const storage = new SqliteStorage(dir)
  const db = new DatabaseSync(join(dir, SQLITE_FILE_NAME))
  const rows = () => (db.prepare('SELECT count(*) AS n FROM updates').get() as { n: number }).n
  return { dir, storage, db, rows }
}
