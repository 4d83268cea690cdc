import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRevocations, RevocationList, revokeRoom } from './revocations.js'

const folder = () => mkdtempSync(join(tmpdir(), 'cm-revocations-'))

describe('revocations', () => {
  it('revokes every link to a room issued up to the current second, in a file only its owner reads', async () => {
    const file = join(folder(), 'revoked.json')
    const notBefore = await revokeRoom(file, 'board-1', 1_700_000_000_500)
    expect(notBefore).toBe(1_700_000_001)
    await revokeRoom(file, 'board-2', 1_700_000_100_000)
    expect(parseRevocations(readFileSync(file, 'utf8'))).toEqual(
      new Map([
        ['board-1', 1_700_000_001],
        ['board-2', 1_700_000_101],
      ]),
    )
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('refuses a room name that is not one, and writes nothing', async () => {
    const file = join(folder(), 'revoked.json')
    for (const bad of ['', 'bad room', '../etc/passwd', 'x'.repeat(200)]) {
      await expect(revokeRoom(file, bad)).rejects.toThrow(/invalid room name/)
    }
    expect(() => statSync(file)).toThrow(/ENOENT/)
  })

  it('names what is wrong in a bad file', () => {
    expect(() => parseRevocations('{')).toThrow(/not JSON/)
    expect(() => parseRevocations('{"rooms":{"bad room":1}}')).toThrow(
      /rooms\.bad room: is not a valid room name/,
    )
    expect(() => parseRevocations('{"rooms":{"b":"soon"}}')).toThrow(/rooms\.b/)
  })

  it('refuses tokens issued before the room’s time, re-reads a changed file, keeps the last good list', async () => {
    const file = join(folder(), 'revoked.json')
    const errors: string[] = []
    const list = new RevocationList(file, (message) => errors.push(message))
    expect(await list.refresh()).toBe(false)
    expect(list.isRevoked('board-1', 0)).toBe(false)
    writeFileSync(file, '{"rooms":{"board-1":100}}')
    expect(await list.refresh()).toBe(true)
    expect(list.isRevoked('board-1', 99)).toBe(true)
    expect(list.isRevoked('board-1', 100)).toBe(false)
    expect(list.isRevoked('board-2', 0)).toBe(false)
    expect(await list.refresh()).toBe(false)
    writeFileSync(file, '{"rooms":')
    // A new modification time (some file systems keep whole seconds).
    const later = new Date(Date.now() + 5000)
    utimesSync(file, later, later)
    expect(await list.refresh()).toBe(false)
    expect(list.isRevoked('board-1', 99)).toBe(true)
    expect(errors[0]).toMatch(/could not be read, the last list read stays in force: not JSON/)
  })
})
