import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { builtModule } from '../testkit/builtModule.js'
import { type JournalRecord, UpdateJournal } from './UpdateJournal.js'

const BUILT_JOURNAL = builtModule('storage/UpdateJournal.js')

// A disk that cuts a write short and then refuses to truncate (an I/O error) cannot be made on
// purpose from a test, so the journal's two calls are wrapped: each passes through to the real one
// unless a test arms it.
const disk = vi.hoisted(() => ({ cutNextWrite: false, refuseTruncate: false }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const failure = (code: string) => Object.assign(new Error(`${code}: injected`), { code })
  return {
    ...fs,
    writeSync: ((fd: number, buffer: Buffer, offset: number) => {
      if (!disk.cutNextWrite) return fs.writeSync(fd, buffer, offset)
      disk.cutNextWrite = false
      // Half the record reaches the file, as on a disk that fills up mid-write.
      fs.writeSync(fd, buffer, offset, Math.floor((buffer.length - offset) / 2))
      throw failure('ENOSPC')
    }) as typeof fs.writeSync,
    ftruncateSync: ((fd: number, length?: number) => {
      if (disk.refuseTruncate) throw failure('EIO')
      return fs.ftruncateSync(fd, length)
    }) as typeof fs.ftruncateSync,
  }
})

afterEach(() => {
  disk.cutNextWrite = false
  disk.refuseTruncate = false
})

const journalFile = () => join(mkdtempSync(join(tmpdir(), 'cm-journal-')), 'test.journal')

const record = (room: string, seq: number, size = 3): JournalRecord => ({
  room,
  seq,
  update: new Uint8Array(size).fill(seq % 256),
})

describe('UpdateJournal', () => {
  it('reads back every record in the order written, across appends and reopening', () => {
    const file = journalFile()
    const journal = new UpdateJournal(file, false)
    const written = [record('a', 1), record('b', 1, 0), record('a', 2, 70_000)]
    journal.append(written.slice(0, 2))
    journal.append(written.slice(2))
    expect(journal.size).toBe(statSync(file).size)
    journal.close()
    const reopened = new UpdateJournal(file, true)
    expect(reopened.size).toBe(statSync(file).size)
    expect(reopened.readAll()).toEqual(written)
    reopened.close()
  })

  it('stops at a record cut short by a crash and keeps the ones before it', () => {
    const file = journalFile()
    const journal = new UpdateJournal(file, false)
    journal.append([record('r', 1), record('r', 2)])
    const whole = readFileSync(file)
    journal.append([record('r', 3, 100)])
    const withThird = readFileSync(file)
    // Every cut inside the third record leaves the first two.
    for (let cut = whole.length + 1; cut < withThird.length; cut += 7) {
      writeFileSync(file, withThird.subarray(0, cut))
      expect(journal.readAll().map((r) => r.seq)).toEqual([1, 2])
    }
    journal.close()
  })

  it('skips a record whose bytes do not match its checksum, keeps the ones after it, and says where', () => {
    const file = journalFile()
    const journal = new UpdateJournal(file, false)
    journal.append([record('r', 1), record('r', 2), record('r', 3)])
    const bytes = readFileSync(file)
    const second = bytes.length / 3
    // One flipped bit in the second record's payload.
    bytes[second + 10] = (bytes[second + 10] ?? 0) ^ 1
    writeFileSync(file, bytes)
    const read = journal.read()
    expect(read.records.map((r) => r.seq)).toEqual([1, 3])
    expect(read.damage).toEqual([{ at: second, bytes: second, atEnd: false }])
    // Zeros a file system can leave at the end after power loss read as nothing, skipped at the end.
    writeFileSync(file, Buffer.alloc(64))
    expect(journal.read()).toEqual({ records: [], damage: [{ at: 0, bytes: 64, atEnd: true }] })
    journal.close()
  })

  it('reports a record cut short at the end as damage at the end', () => {
    const file = journalFile()
    const journal = new UpdateJournal(file, false)
    journal.append([record('r', 1)])
    const whole = readFileSync(file).length
    appendFileSync(file, Buffer.from([200, 0, 0, 0, 1, 2]))
    expect(journal.read()).toEqual({
      records: [record('r', 1)],
      damage: [{ at: whole, bytes: 6, atEnd: true }],
    })
    journal.close()
  })

  it('is empty after clear, and appends after it start the file again', () => {
    const file = journalFile()
    const journal = new UpdateJournal(file, true)
    journal.append([record('r', 1), record('r', 2)])
    journal.clear()
    expect(journal.size).toBe(0)
    expect(statSync(file).size).toBe(0)
    journal.append([record('r', 3)])
    expect(journal.readAll()).toEqual([record('r', 3)])
    appendFileSync(file, Buffer.from([1, 2, 3]))
    expect(journal.readAll()).toEqual([record('r', 3)])
    journal.close()
  })

  it('undoes a write the disk cut short, so the records after it are still read', () => {
    const file = journalFile()
    // A real short write: a child process whose file size limit (\`ulimit -f\`, 4 KiB) the journal
    // reaches mid-record. The kernel writes what fits and refuses the rest with EFBIG, as it does
    // with ENOSPC on a full disk. SIGXFSZ is caught so that the refusal comes back as an error.
    const script = `
      import { UpdateJournal } from ${JSON.stringify(BUILT_JOURNAL)}
      import { statSync } from 'node:fs'
      process.on('SIGXFSZ', () => {})
      const journal = new UpdateJournal(${JSON.stringify(file)}, false)
      const record = (seq, size) => ({ room: 'r', seq, update: new Uint8Array(size).fill(seq) })
      let seq = 0
      let refused
      while (!refused) {
        try {
          journal.append([record(seq + 1, 300)])
          seq++
        } catch (error) {
          refused = error.code
        }
      }
      const afterRefusal = statSync(${JSON.stringify(file)}).size
      // A small record still fits under the limit, right after the last whole one.
      journal.append([record(seq + 1, 3)])
      console.log(JSON.stringify({ seq, refused, afterRefusal, journalSize: journal.size }))
    `
    const child = spawnSync(
      'bash',
      ['-c', 'ulimit -f 4 && exec "$0" --input-type=module -e "$1"', process.execPath, script],
      { encoding: 'utf8' },
    )
    expect(child.status, child.stderr).toBe(0)
    const result = JSON.parse(child.stdout) as {
      seq: number
      refused: string
      afterRefusal: number
      journalSize: number
    }
    expect(result.refused).toBe('EFBIG')
    // Each 300-byte record takes 313 bytes: thirteen fit in 4,096, the fourteenth was cut short.
    expect(result.seq).toBe(13)
    expect(result.afterRefusal).toBe(13 * 313)
    expect(result.journalSize).toBe(statSync(file).size)
    const records = new UpdateJournal(file, false)
    expect(records.readAll().map((r) => [r.seq, r.update.length])).toEqual([
      ...Array.from({ length: 13 }, (_, i) => [i + 1, 300]),
      [14, 3],
    ])
    records.close()
  })

  it('refuses every later append when a cut-short write could not be undone', () => {
    const file = journalFile()
    const journal = new UpdateJournal(file, false)
    journal.append([record('r', 1), record('r', 2)])
    const whole = statSync(file).size
    disk.cutNextWrite = true
    disk.refuseTruncate = true
    expect(() => journal.append([record('r', 3, 100)])).toThrow(/ENOSPC/)
    const torn = statSync(file).size
    expect(torn).toBeGreaterThan(whole)
    // Still refused once the disk recovers: a record written now would follow the torn one, where
    // the recovery read never reaches it, so it must not be reported durable.
    disk.refuseTruncate = false
    expect(() => journal.append([record('r', 4)])).toThrow(
      /holds a torn record it could not remove: ENOSPC/,
    )
    expect(statSync(file).size).toBe(torn)
    expect(journal.size).toBe(whole)
    // What was reported durable is what a restart reads.
    expect(journal.readAll().map((r) => r.seq)).toEqual([1, 2])
    journal.close()
  })

  it('goes on appending after a cut-short write it could undo', () => {
    const file = journalFile()
    const journal = new UpdateJournal(file, false)
    journal.append([record('r', 1)])
    disk.cutNextWrite = true
    expect(() => journal.append([record('r', 2, 100)])).toThrow(/ENOSPC/)
    journal.append([record('r', 3)])
    expect(journal.size).toBe(statSync(file).size)
    expect(journal.readAll().map((r) => r.seq)).toEqual([1, 3])
    journal.close()
  })
})
