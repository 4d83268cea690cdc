/**
 * Websocket close codes chainmap-sync ends connections with.
 *
 * The stock y-websocket client treats 4400–4499 as permanent (it stops reconnecting): we use that
 * range only where reconnecting cannot help. Everything else makes the client reconnect with
 * backoff, which is what we want after a restart or when a limit is only momentarily exceeded.
 */
export const CloseCodes = {
  /**
   * The connection's token expired while it was open: reconnect with a renewed token (the web app
   * renews it; a client without one is then refused with 4401).
   */
  tokenExpired: 4001,
  /** The server is restarting or shutting down: reconnect (RFC 6455 "Service Restart"). */
  serviceRestart: 1012,
  /** Storage failed while handling this room: reconnect later. */
  internalError: 1011,
  /** A malformed frame, unknown message type, text frame, corrupt update or bad room name. */
  badRequest: 4400,
  /** No token, a forged token or an expired token while the server requires one. */
  unauthorized: 4401,
  /** A valid token for another room. */
  forbidden: 4403,
  /** The board is at its size limit: the edit was refused and resending it cannot help. */
  boardFull: 4413,
  /** A single frame above the size limit (sent by the websocket layer itself, RFC 6455). */
  messageTooBig: 1009,
  /** Too many connections from this address or into this room: try again later. */
  tooManyConnections: 4503,
  /** The connection read too slowly and its outgoing queue hit the cap: reconnect. */
  slowConsumer: 4508,
  /** The connection sent updates faster than the rate limit allows: reconnect after a pause. */
  rateLimited: 4529,
} as const

/** One of the {@link CloseCodes}. */
export type CloseCode = (typeof CloseCodes)[keyof typeof CloseCodes]
