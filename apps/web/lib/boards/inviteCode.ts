import { createHash, timingSafeEqual } from 'node:crypto'

/** Error thrown when creating a board needs an invite code and the one given is wrong. */
export class InviteCodeError extends Error {
  constructor() {
    super('the invite code is wrong — ask whoever runs this chainmap for the current one')
    this.name = 'InviteCodeError'
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/**
 * Throws {@link InviteCodeError} unless `given` matches `required`, spaces around either ignored
 * (nothing is required when it is undefined). Compared in constant time over digests, so neither
 * its length nor its letters leak.
 */
export function checkInviteCode(required: string | undefined, given: unknown): void {
  if (required === undefined) return
  // A server action takes whatever a caller posts: anything but a string is a wrong code.
  if (
    typeof given !== 'string' ||
    !timingSafeEqual(digest(required.trim()), digest(given.trim()))
  ) {
    throw new InviteCodeError()
  }
}
