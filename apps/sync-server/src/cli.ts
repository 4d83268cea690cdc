#!/usr/bin/env node
import { readSettings } from './env.js'
import { SyncServer } from './SyncServer.js'

const settings = readSettings()
const server = new SyncServer(settings)
const port = await server.listen()
console.log(
  `chainmap-sync listening on ws://${settings.host === '0.0.0.0' ? 'localhost' : settings.host}:${port}`,
)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0))
  })
}
