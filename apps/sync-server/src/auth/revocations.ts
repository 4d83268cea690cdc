import { readFile, rename, stat, writeFile } from 'node:fs/promises'
import { isValidRoomName } from '@chainmap/board'
import { z } from 'zod'

const fileSchema = z.object({
  /** Per board: links issued before this time (seconds since the epoch) are refused. */
  rooms: z.record(z.string(), z.number().int().nonnegative()),
})

/** The contents of a revocations file: room → seconds since the epoch. */
export type Revocations = ReadonlyMap<string, number>

/** Parses a revocations file's text; throws an error naming what is wrong. */
export function parseRevocations(text: string): Revocations {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`)
  }
  const parsed = fileSchema.safeParse(json)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || 'the file'}: ${issue.message}`,
    )
    throw new Error(problems.join('; '))
  }
  const rooms = Object.entries(parsed.data.rooms)
  const bad = rooms.find(([room]) => !isValidRoomName(room))
  if (bad) throw new Error(`rooms.${bad[0]}: is not a valid room name`)
  return new Map(rooms)
}

/**
 * Revokes every link to `room` issued up to now: writes the room into the revocations `file`
 * (created if missing) with the next whole second, replacing the file in one rename so that a
 * server reading it never sees half of it.
 * @returns the time from which new links are accepted again, in seconds since the epoch
 */
export async function revokeRoom(file: string, room: string, now = Date.now()): Promise<number> {
  if (!isValidRoomName(room)) throw new Error(`invalid room name: ${JSON.stringify(room)}`)
  let rooms: Record<string, number> = {}
  try {
    rooms = Object.fromEntries(parseRevocations(await readFile(file, 'utf8')))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read the revocations file ${file}: ${(error as Error).message}`)
    }
  }
  // Tokens carry whole seconds: every link issued in this second is revoked too.
  const notBefore = Math.floor(now / 1000) + 1
  rooms[room] = notBefore
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify({ rooms }, null, 2)}\n`, { mode: 0o600 })
  await rename(temporary, file)
  return notBefore
}

/**
 * The revocations a server enforces, re-read from its file whenever the file changes. A file that
 * cannot be read or parsed leaves the last good list in force (and says so through `onError`).
 */
export class RevocationList {
  private revocations: Revocations = new Map()
  // The file as last read: a new inode (revoke renames a new file in), size or time means a change.
  private version = ''
  private reading: Promise<boolean> | undefined

  /**
   * @param file - the revocations file; undefined: nothing is revoked
   * @param onError - told why the file could not be read
   */
  constructor(
    private readonly file: string | undefined,
    private readonly onError: (message: string) => void,
  ) {}

  /** Whether a token for `room` issued at `issuedAt` (seconds) is revoked. */
  isRevoked(room: string, issuedAt: number): boolean {
    const notBefore = this.revocations.get(room)
    return notBefore !== undefined && issuedAt < notBefore
  }

  /** Re-reads the file if it changed since the last read; resolves with whether the list changed. */
  refresh(): Promise<boolean> {
    // One read at a time: a slow disk must not let two reads race each other.
    this.reading ??= this.read().finally(() => {
      this.reading = undefined
    })
    return this.reading
  }

  private async read(): Promise<boolean> {
    if (this.file === undefined) return false
    try {
      const info = await stat(this.file)
      const version = `${info.ino}:${info.size}:${info.mtimeMs}`
      if (version === this.version) return false
      const next = parseRevocations(await readFile(this.file, 'utf8'))
      this.version = version
      this.revocations = next
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        const changed = this.revocations.size > 0
        this.revocations = new Map()
        this.version = ''
        return changed
      }
      this.onError(
        `the revocations file ${this.file} could not be read, the last list read stays in force: ${(error as Error).message}`,
      )
      return false
    }
  }
}
