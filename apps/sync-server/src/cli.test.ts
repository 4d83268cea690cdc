import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { verifyToken } from './auth/tokens.js'
import { connectClient, waitFor } from './testkit/clients.js'
import { startServer, tempDataDir } from './testkit/serverProcess.js'

const run = promisify(execFile)
const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js')
const secret = 'cli-test-secret-0123456789abcdefghijkl'

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
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

  it('mints a token for the room and role', async () => {
    const { code, stdout } = await cli(['token', '--room', 'ops', '--role', 'view'], {
      CHAINMAP_AUTH_SECRET: secret,
    })
    expect(code).toBe(0)
    expect(await verifyToken(secret, stdout.trim(), 'ops')).toEqual({ room: 'ops', role: 'view' })
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

    const garbage = join(dataDir, 'garbage.ydoc')
    writeFileSync(garbage, 'not yjs')
    expect(
      (await cli(['restore', '--room', 'board', '--file', garbage, '--data', dataDir])).code,
    ).toBe(1)
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
