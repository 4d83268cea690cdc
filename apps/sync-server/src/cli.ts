#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs'
import { revokeRoom } from './auth/revocations.js'
import { mintToken } from './auth/tokens.js'
import { helpText, parseCommandLine } from './cliArgs.js'
import { readSettings } from './env.js'
import { exportRoom, restoreRoom } from './roomFiles.js'
import { SyncError } from './SyncError.js'
import { SyncServer } from './SyncServer.js'

// As SyncServer checks the file (REVOCATIONS_CHECK_MS).
const REVOCATIONS_CHECK_SECONDS = 2

async function main(): Promise<number> {
  const command = parseCommandLine(process.argv.slice(2))
  switch (command.name) {
    case 'help':
      console.log(helpText(readSettings({})))
      return 0
    case 'token': {
      const settings = readSettings()
      if (!settings.authSecret)
        throw new Error('chainmap-sync token: set CHAINMAP_AUTH_SECRET first')
      if (command.role !== 'edit' && command.role !== 'view') {
        throw new Error('chainmap-sync token: --role must be edit or view')
      }
      console.log(
        await mintToken(
          settings.authSecret,
          { room: command.room, role: command.role },
          command.expires,
        ),
      )
      return 0
    }
    case 'revoke': {
      const settings = readSettings(process.env, command.overrides)
      if (!settings.revocations) {
        throw new Error(
          'chainmap-sync revoke: set --revocations <file> or CHAINMAP_REVOCATIONS_FILE (the file every node reads)',
        )
      }
      const notBefore = await revokeRoom(settings.revocations, command.room)
      console.log(
        `links to ${command.room} issued before ${new Date(notBefore * 1000).toISOString()} are refused; servers reading ${settings.revocations} close their connections within ${REVOCATIONS_CHECK_SECONDS} s`,
      )
      return 0
    }
    case 'export': {
      const settings = readSettings(process.env, command.overrides)
      const state = await exportRoom(settings, command.room)
      writeFileSync(command.file, state)
      console.log(`wrote ${state.byteLength} bytes of room ${command.room} to ${command.file}`)
      return 0
    }
    case 'restore': {
      const settings = readSettings(process.env, command.overrides)
      await restoreRoom(settings, command.room, new Uint8Array(readFileSync(command.file)))
      console.log(`restored room ${command.room} from ${command.file}`)
      return 0
    }
    case 'serve': {
      const settings = readSettings(process.env, command.overrides)
      const server = new SyncServer(settings)
      // The last line of defence: every room entry point is guarded, so reaching here is a bug.
      // Ending the process would drop every room for one client's message; log it loudly instead.
      for (const kind of ['unhandledRejection', 'uncaughtException'] as const) {
        process.on(kind, (error: unknown) => {
          server.metrics.uncaughtErrors.inc({ kind })
          server.log.fatal(
            { err: error, code: 'uncaught' },
            `${kind} reached the process: still serving`,
          )
        })
      }
      const port = await server.listen()
      const shown =
        settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host
      console.log(`chainmap-sync listening on ws://${shown}:${port} (data: ${settings.data})`)
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) {
          process.once(signal, () => {
            server.log.info({ signal }, 'shutting down')
            resolve()
          })
        }
      })
      await server.close()
      return 0
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    // 2: the input was refused and nothing was changed (scripts can tell it from a failure).
    process.exit(error instanceof SyncError && error.code === 'invalid-backup' ? 2 : 1)
  },
)
