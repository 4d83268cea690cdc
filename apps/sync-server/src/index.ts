/**
 * `chainmap-sync` — the self-hosted chainmap sync server.
 * @packageDocumentation
 */
export { readSettings, type Settings, settingsSchema } from './env.js'
export { SyncServer } from './SyncServer.js'
