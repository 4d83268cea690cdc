import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connect } from './clients.js'
import type { ServerKind } from './jobs.js'
import {
  type Cursor,
  type CursorClient,
  cursorsIn,
  cursorText,
  lightClient,
} from './lightClient.js'
import {
  chainmapSync,
  removeDataDirs,
  type StartServer,
  startClassic,
  startHocuspocus,
} from './processes.js'

afterAll(() => removeDataDirs())

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 15_000
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('cursorsIn', () => {
  it('finds every cursor of a merged update, in order', () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const sent: Cursor[] = [
      { key: 'p1-0', n: 1, t: 12.5 },
      { key: 'p1-0', n: 2, t: 13.25 },
      { key: 'p1-1', n: 1, t: 14 },
    ]
    for (const cursor of sent) doc.getMap('cursor').set(cursor.key, cursorText(cursor))
    const found: Cursor[] = []
    cursorsIn(Buffer.from(Y.mergeUpdates(updates)), (cursor) => found.push(cursor))
    expect(found).toEqual(sent)
  })
})

const SERVERS: [ServerKind, StartServer][] = [
  ['chainmap', chainmapSync()],
  ['classic', startClassic],
  ['hocuspocus', startHocuspocus],
]

describe.each(SERVERS)('a light client on %s', (kind, start) => {
  it('syncs, and its cursors reach light and stock clients as the same Yjs updates', async () => {
    const server = await start()
    const clients: { destroy(): void }[] = []
    try {
      const light = (): CursorClient => {
        const client = lightClient(kind, server.url, 'light-room')
        clients.push(client)
        return client
      }
      const sender = light()
      const receiver = light()
      const stock = connect(kind, server.url, 'light-room')
      clients.push(stock)
      const received: Cursor[] = []
      receiver.onCursor((cursor) => received.push(cursor))
      await until(() => sender.synced() && receiver.synced() && stock.synced(), 'sync')
      const cursors = [1, 2, 3].map((n) => ({ key: 'sender', n, t: 100 + n }))
      for (const cursor of cursors) sender.sendCursor(cursor)
      await until(() => received.length >= cursors.length, 'the cursors at the light receiver')
      expect(received).toEqual(cursors)
      const stockView = stock.doc.getMap<string>('cursor')
      await until(() => stockView.get('sender') === cursorText(cursors[2]!), 'the stock client')
    } finally {
      for (const client of clients) client.destroy()
      await server.stop()
    }
  })
})
