/**
 * Numbered message types of the y-websocket protocol, as the stock client numbers them.
 * Every frame starts with one of these as a varuint.
 */
export const MessageType = {
  /** Yjs sync: step 1, step 2 or update (see {@link SyncMessageType}). */
  sync: 0,
  /** An awareness (presence) update. */
  awareness: 1,
  /** Authentication: the server tells the client it may not do something. */
  auth: 2,
  /** Ask the other side to send every awareness state it knows. */
  queryAwareness: 3,
} as const

/** Sub-types of a {@link MessageType.sync} frame. */
export const SyncMessageType = {
  /** The sender's state vector; the receiver answers with step 2. */
  step1: 0,
  /** Everything the receiver of step 1 was missing. */
  step2: 1,
  /** An incremental document update. */
  update: 2,
} as const

/** Sub-types of a {@link MessageType.auth} frame. */
export const AuthMessageType = {
  /** Followed by a varstring reason. */
  permissionDenied: 0,
} as const
