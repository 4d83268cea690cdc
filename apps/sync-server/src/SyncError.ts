import type { CloseCode } from './closeCodes.js'

/** Machine-readable reasons a connection, a frame or a request is refused. */
export type SyncErrorCode =
  | 'malformed-frame'
  | 'malformed-url'
  | 'unknown-message-type'
  | 'text-frame'
  | 'corrupt-update'
  | 'corrupt-awareness'
  | 'refused-content'
  | 'board-full'
  | 'board-too-large'
  | 'refused-presence'
  | 'unsupported-board-format'
  | 'message-too-large'
  | 'rate-limited'
  | 'slow-consumer'
  | 'invalid-room-name'
  | 'missing-token'
  | 'invalid-token'
  | 'expired-token'
  | 'revoked-token'
  | 'wrong-room'
  | 'too-many-connections-per-ip'
  | 'too-many-connections-per-room'
  | 'shutting-down'
  | 'storage-failure'
  | 'storage-went-back'
  | 'storage-disrupted'
  | 'internal-error'
  | 'room-failed'
  | 'invalid-settings'
  | 'invalid-backup'
  | 'simulation-busy'
  | 'simulation-timeout'

/**
 * The one error type of chainmap-sync. `code` says what went wrong in a word that logs and metrics
 * can group by; `closeCode` is the websocket close code a connection gets for it.
 */
export class SyncError extends Error {
  /** Names the error class in logs and stack traces. */
  override readonly name = 'SyncError'

  /**
   * @param code - machine-readable reason
   * @param message - human-readable explanation naming the frame, field or limit involved
   * @param closeCode - the websocket close code to end the connection with
   * @param detail - what the log adds to the message: names a person need not read, too long for a
   *   close reason (at most 123 bytes)
   */
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly closeCode: CloseCode,
    readonly detail?: string,
  ) {
    super(message)
  }
}
