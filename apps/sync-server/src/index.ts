/**
 * `chainmap-sync` — the self-hosted chainmap sync server: the y-websocket protocol with durable
 * append-before-relay storage, JWT access and limits.
 * @packageDocumentation
 */
export { AppendBatcher } from './AppendBatcher.js'
export { type AccessClaims, mintToken, type Role, verifyToken } from './auth/tokens.js'
export { openFanout, openStorage } from './backends.js'
export { type CloseCode, CloseCodes } from './closeCodes.js'
export {
  type RawSettings,
  readSettings,
  SETTING_SOURCES,
  type Settings,
  settingsSchema,
} from './env.js'
export type { Fanout, FanoutEvent, FanoutListener } from './fanout/fanout.js'
export { LocalFanout } from './fanout/LocalFanout.js'
export { RedisFanout, type RedisFanoutOptions } from './fanout/RedisFanout.js'
export { type Unreliability, UnreliableFanout } from './fanout/UnreliableFanout.js'
export { createMetrics, type SyncMetrics } from './metrics.js'
export {
  type ProtocolMessage,
  readMessage,
  writeAwareness,
  writePermissionDenied,
  writeQueryAwareness,
  writeSyncStep1,
  writeSyncStep2,
  writeUpdate,
} from './protocol/messages.js'
export { AuthMessageType, MessageType, SyncMessageType } from './protocol/messageTypes.js'
export { type FramedMessage, frameBinaryMessage } from './protocol/wireFrame.js'
export { SeqTracker } from './SeqTracker.js'
export { SyncError, type SyncErrorCode } from './SyncError.js'
export { SyncServer, type SyncServerParts } from './SyncServer.js'
export { dropPostgresSchema } from './storage/dropPostgresSchema.js'
export { PostgresStorage, type PostgresStorageOptions } from './storage/PostgresStorage.js'
export {
  JOURNAL_FILE_NAME,
  SQLITE_FILE_NAME,
  SqliteStorage,
  type SqliteSynchronous,
} from './storage/SqliteStorage.js'
export type { AppendEntry, RoomStorage, StoredRoom } from './storage/storage.js'
