import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** One update as the journal keeps it: its room and the sequence number storage gave it. */
export interface JournalRecord {
  readonly room: string
  readonly seq: number
  readonly update: Uint8Array
}

/** Bytes of the journal that held no whole record, and were skipped. */
export interface JournalDamage {
  /** Offset in the file where the damaged bytes start. */
  readonly at: number
  /** How many bytes were skipped. */
  readonly bytes: number
  /**
   * Whether they run to the end of the file: a write cut short by a crash (never reported
   * durable) or zeros left by power loss. Damage before a whole record is corruption.
   */
  readonly atEnd: boolean
}

/** What a journal holds: its whole records in order, and the damaged stretches between them. */
export interface JournalContents {
  readonly records: JournalRecord[]
  readonly damage: JournalDamage[]
}

// Each record: payload length (u32 LE), CRC-32 of the payload (u32 LE), payload (lib0: room as a
// var string, seq as a var uint, update as a var byte array). The CRC finds a record torn by a
// crash mid-write, or zeros a file system left after power loss.
const HEADER_BYTES = 8

/**
 * An append-only file of updates that are durable but not yet in the database. One `write` per
 * batch is the whole cost on the relay path; the database takes the batch later, many at a time,
 * and on start-up every record still in the file goes in first (see `SqliteStorage`).
 *
 * Durability is the database's own: the page cache (a killed process loses nothing) by default,
 * and with `sync` an `fdatasync` per batch (survives power loss), like SQLite's `synchronous`.
 */
export class UpdateJournal {
  private readonly fd: number
  private bytes: number
  /** Set when a failed write could not be undone: later records would follow a torn one. */
  private broken: Error | undefined
  private closed = false

  /**
   * Opens (creating if needed) the journal at `file`.
   * @param sync - whether each batch is synced to disk before {@link append} returns
   */
  constructor(
    readonly file: string,
    private readonly sync: boolean,
  ) {
    this.fd = openSync(file, 'a')
    this.bytes = fstatSync(this.fd).size
    // A new file's name must survive power loss too.
    if (sync) syncDirectory(dirname(file))
  }

  /** Bytes in the file: what the next start-up would read. */
  get size(): number {
    return this.bytes
  }

  /** Every whole record in the file (see {@link readJournalFile}). */
  readAll(): JournalRecord[] {
    return readJournalFile(this.file).records
  }

  /** Every whole record in the file and the damaged stretches skipped (see {@link readJournalFile}). */
  read(): JournalContents {
    return readJournalFile(this.file)
  }

  /** Writes `records` with one system call (and syncs them when asked); throws if the disk refuses. */
  append(records: readonly JournalRecord[]): void {
    if (this.closed) throw new Error('the update journal is closed')
    if (this.broken) throw this.broken
    const payloads = records.map((record) => {
      const encoder = encoding.createEncoder()
      encoding.writeVarString(encoder, record.room)
      encoding.writeVarUint(encoder, record.seq)
      encoding.writeVarUint8Array(encoder, record.update)
      return encoding.toUint8Array(encoder)
    })
    const total = payloads.reduce((sum, payload) => sum + HEADER_BYTES + payload.length, 0)
    const out = Buffer.allocUnsafe(total)
    let at = 0
    for (const payload of payloads) {
      out.writeUInt32LE(payload.length, at)
      out.writeUInt32LE(crc32(payload), at + 4)
      out.set(payload, at + HEADER_BYTES)
      at += HEADER_BYTES + payload.length
    }
    try {
      let written = 0
      while (written < out.length) written += writeSync(this.fd, out, written)
      if (this.sync) fdatasyncSync(this.fd)
    } catch (error) {
      // A write cut short (disk full) must not leave a torn record for later ones to follow: the
      // recovery read would stop at it.
      try {
        ftruncateSync(this.fd, this.bytes)
      } catch {
        this.broken = new Error(
          `the update journal ${this.file} holds a torn record it could not remove: ${(error as Error).message}`,
        )
      }
      throw error
    }
    this.bytes += out.length
  }

  /** Empties the file: call only once every record in it is in the database. */
  clear(): void {
    ftruncateSync(this.fd, 0)
    this.bytes = 0
    if (this.sync) fdatasyncSync(this.fd)
  }

  /** Closes the file; the journal cannot be used afterwards. */
  close(): void {
    if (this.closed) return
    this.closed = true
    closeSync(this.fd)
  }
}

/**
 * Every whole record in the journal at `file`, in the order written, without opening it for
 * writing (none when there is no file). A stretch that holds no whole record (cut short, failing
 * its CRC, not decodable) is skipped up to the next whole record, and reported: records after
 * damage in the middle were reported durable and must not be lost with it.
 */
export function readJournalFile(file: string): JournalContents {
  if (!existsSync(file)) return { records: [], damage: [] }
  const bytes = readFileSync(file)
  const records: JournalRecord[] = []
  const damage: JournalDamage[] = []
  let at = 0
  while (at < bytes.length) {
    const whole = recordAt(bytes, at)
    if (whole) {
      records.push(whole.record)
      at = whole.end
      continue
    }
    let next = at + 1
    while (next < bytes.length && !recordAt(bytes, next)) next++
    damage.push({ at, bytes: next - at, atEnd: next >= bytes.length })
    at = next
  }
  return { records, damage }
}

/** The whole record starting at `at`, if one does. */
function recordAt(bytes: Buffer, at: number): { record: JournalRecord; end: number } | undefined {
  if (at + HEADER_BYTES > bytes.length) return undefined
  const length = bytes.readUInt32LE(at)
  const start = at + HEADER_BYTES
  if (length === 0 || start + length > bytes.length) return undefined
  const payload = bytes.subarray(start, start + length)
  if (crc32(payload) !== bytes.readUInt32LE(at + 4)) return undefined
  try {
    const decoder = decoding.createDecoder(payload)
    const record = {
      room: decoding.readVarString(decoder),
      seq: decoding.readVarUint(decoder),
      update: decoding.readVarUint8Array(decoder),
    }
    if (decoder.pos !== payload.length) return undefined
    return { record, end: start + length }
  } catch {
    return undefined
  }
}

function syncDirectory(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
