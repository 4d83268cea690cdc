import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type JournalRecord, UpdateJournal } from './UpdateJournal.js'

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

  it('stops at a record whose bytes do not match its checksum', () => {
    const file = journalFile()
    const journal = new UpdateJournal(file, false)
    journal.append([record('r', 1), record('r', 2), record('r', 3)])
    const bytes = readFileSync(file)
    const second = bytes.length / 3
    // One flipped bit in the second record's payload.
    bytes[second + 10] = (bytes[second + 10] ?? 0) ^ 1
    writeFileSync(file, bytes)
    expect(journal.readAll().map((r) => r.seq)).toEqual([1])
    // Zeros a file system can leave at the end after power loss read as nothing.
    writeFileSync(file, Buffer.alloc(64))
    expect(journal.readAll()).toEqual([])
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
})
