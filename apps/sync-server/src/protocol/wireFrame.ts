/** One message framed for the wire, ready to be written to any number of sockets. */
export interface FramedMessage {
  /** Header and payload, as they go on the wire. */
  readonly wire: Buffer
  /** The payload's size (what `ws` would report as the message's length). */
  readonly payloadBytes: number
}

/**
 * Frames `payload` as a complete server-to-client WebSocket message (RFC 6455 §5.2): one final, unmasked binary frame,
 * header and payload in one buffer.
 *
 * `ws` frames every `send` again — a header allocation, option objects and a two-buffer `writev`
 * per socket. A room relays the same bytes to every connection, so it frames them once and writes
 * this buffer to each socket: about 1 µs less CPU per socket write (8.2 → 7.1 µs mean in the
 * load bench's `relay-write` scenario on the reference machine, most of the rest being the
 * kernel's loopback write), which in a 100-client room is 0.1 ms per relayed update.
 */
export function frameBinaryMessage(payload: Uint8Array): FramedMessage {
  const length = payload.byteLength
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const wire = Buffer.allocUnsafe(headerBytes + length)
  // FIN + opcode 2 (binary); no extension bits: the server negotiates no permessage-deflate.
  wire[0] = 0x82
  if (headerBytes === 2) {
    wire[1] = length
  } else if (headerBytes === 4) {
    wire[1] = 126
    wire.writeUInt16BE(length, 2)
  } else {
    wire[1] = 127
    wire.writeBigUInt64BE(BigInt(length), 2)
  }
  wire.set(payload, headerBytes)
  return { wire, payloadBytes: length }
}
