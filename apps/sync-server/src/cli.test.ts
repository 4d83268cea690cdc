import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createBoardSchema } from '@chainmap/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { verifyToken } from './auth/tokens.js'
import { connectClient, waitFor } from './testkit/clients.js'
import { legacyJsonUpdate } from './testkit/hostile.js'
import { startServer, tempDataDir } from './testkit/serverProcess.js'

const run = promisify(execFile)
const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js')
const secret = 'cli-test-secret-0123456789abcdefghijkl'

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      // A server that starts instead of refusing would otherwise hold the test until its timeout.
      timeout: 30_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('chainmap-sync CLI', () => {
  it('prints help listing every setting', async () => {
    const { code, stdout } = await cli(['--help'])
    expect(code).toBe(0)
    for (const name of [
      '--port',
      '--data',
      'CHAINMAP_AUTH_SECRET',
      '--update-rate',
      'token --room',
    ]) {
      expect(stdout).toContain(name)
    }
  })

  it('refuses invalid settings and unknown flags with a message naming them', async () => {
    const bad = await cli(['--port', 'seventy'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('CHAINMAP_SYNC_PORT / --port')
    const unknown = await cli(['--colour', 'blue'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('colour')
  })

  it('refuses to serve every board to anyone unless told --open, and refuses an empty secret', async () => {
    const dataDir = tempDataDir()
    const unset = await cli(['--port', '0', '--data', dataDir])
    expect(unset.code).toBe(1)
    expect(unset.stderr).toContain(
      'CHAINMAP_AUTH_SECRET is not set: set it (at least 32 characters) so that every connection needs a token, or pass --open',
    )
    const empty = await cli(['--port', '0', '--data', dataDir], { CHAINMAP_AUTH_SECRET: '' })
    expect(empty.code).toBe(1)
    expect(empty.stderr).toContain('authSecret (CHAINMAP_AUTH_SECRET): is set but empty')
    const both = await cli(['--open', '--port', '0', '--data', dataDir], {
      CHAINMAP_AUTH_SECRET: secret,
    })
    expect(both.code).toBe(1)
    expect(both.stderr).toContain('open (CHAINMAP_OPEN / --open): contradicts CHAINMAP_AUTH_SECRET')
  })

  it('mints a token for the room and role', async () => {
    const { code, stdout } = await cli(['token', '--room', 'ops', '--role', 'view'], {
      CHAINMAP_AUTH_SECRET: secret,
    })
    expect(code).toBe(0)
    expect(await verifyToken(secret, stdout.trim(), 'ops')).toMatchObject({
      room: 'ops',
      role: 'view',
    })
    expect((await cli(['token', '--room', 'ops'])).stderr).toContain('CHAINMAP_AUTH_SECRET')
  })

  it('exports a room and restores it into the data folder', async () => {
    const dataDir = tempDataDir()
    const server = await startServer({ dataDir })
    const a = connectClient(server.url, 'board')
    await a.firstSynced
    a.doc.getText('t').insert(0, 'version one')
    const b = connectClient(server.url, 'board')
    await waitFor(() => b.doc.getText('t').toString() === 'version one', 'relay')
    const backup = join(dataDir, 'board.ydoc')
    expect(
      (await cli(['export', '--room', 'board', '--file', backup, '--data', dataDir])).code,
    ).toBe(0)
    a.doc.getText('t').insert(0, 'vandalised ')
    await waitFor(() => b.doc.getText('t').toString() === 'vandalised version one', 'relay')
    a.destroy()
    b.destroy()
    expect(await server.stop('SIGTERM')).toBe(0)

    // Each refused with exit 2 and a message naming what is wrong, and the room left untouched.
    const good = readFileSync(backup)
    const refusals: [string, Uint8Array, RegExp][] = [
      ['garbage', Buffer.from('not yjs'), /not a Yjs snapshot/],
      ['zeros', new Uint8Array(1024), /1022 of its 1024 bytes follow the snapshot/],
      [
        'snapshot-and-garbage',
        Buffer.concat([good, Buffer.from('trailing garbage')]),
        /16 of its \d+ bytes follow the snapshot/,
      ],
      ['empty-file', new Uint8Array(0), /the file is empty/],
      ['empty-board', Y.encodeStateAsUpdate(new Y.Doc()), /empty board/],
      ['legacy', legacyJsonUpdate(9, 'records', 'x', '{}'), /legacy JSON content/],
    ]
    for (const [name, bytes, message] of refusals) {
      const file = join(dataDir, `${name}.ydoc`)
      writeFileSync(file, bytes)
      const refused = await cli(['restore', '--room', 'board', '--file', file, '--data', dataDir])
      expect(refused.code, name).toBe(2)
      expect(refused.stderr, name).toMatch(/^refused to restore room board: /)
      expect(refused.stderr, name).toMatch(message)
      expect(refused.stderr, name).toMatch(/nothing was changed/)
    }
    // A board as the web app writes it, chart included, restores.
    const withChart = new Y.Doc()
    withChart.getText('t').insert(0, 'charted')
    withChart.getMap('meta').set('formatVersion', 1)
    withChart.getMap('meta').set('schema', createBoardSchema().serialize())
    const chartFile = join(dataDir, 'chart.ydoc')
    writeFileSync(chartFile, Y.encodeStateAsUpdate(withChart))
    expect(
      (await cli(['restore', '--room', 'charted', '--file', chartFile, '--data', dataDir])).code,
    ).toBe(0)
    const untouched = await cli([
      'export',
      '--room',
      'board',
      '--file',
      join(dataDir, 'now.ydoc'),
      '--data',
      dataDir,
    ])
    expect(untouched.code).toBe(0)
    const now = new Y.Doc()
    Y.applyUpdate(now, readFileSync(join(dataDir, 'now.ydoc')))
    expect(now.getText('t').toString()).toBe('vandalised version one')
    const restored = await cli(['restore', '--room', 'board', '--file', backup, '--data', dataDir])
    expect(restored.stderr).toBe('')
    expect(restored.code).toBe(0)
    const restarted = await startServer({ dataDir, port: server.port })
    const res = await fetch(`${restarted.http}/api/rooms/board/snapshot`)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()))
    expect(doc.getText('t').toString()).toBe('version one')
    await restarted.stop('SIGTERM')
  })
})
