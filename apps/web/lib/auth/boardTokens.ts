import { jwtVerify, SignJWT } from 'jose'

/** What a board link lets its holder do; matches chainmap-sync's `role` claim. */
export type BoardRole = 'edit' | 'view'

/** The verified claims of a board token. */
export interface BoardAccess {
  room: string
  role: BoardRole
}

/** A verified token's access, with when its link was first issued (renewals keep that time). */
export interface VerifiedBoardAccess extends BoardAccess {
  /** Seconds since the epoch: the `link_iat` claim of a renewed token, else its `iat`. */
  linkIssuedAt: number
}

/** Error thrown when a board token is missing, malformed, expired or for another room. */
export class BoardTokenError extends Error {
  /** Machine-readable reason. */
  readonly code: 'missing' | 'invalid' | 'wrong-room'

  constructor(code: BoardTokenError['code'], message: string) {
    super(message)
    this.name = 'BoardTokenError'
    this.code = code
  }
}

function keyFrom(secret: string): Uint8Array {
  return new TextEncoder().encode(secret)
}

/**
 * Mints an HS256 token for one board with the claims chainmap-sync checks: `room`, `role`
 * and `exp`. The secret is shared by the web server and the sync server. A renewal passes
 * `linkIssuedAt`, the first token's issue time, kept as `link_iat`: revoking a board's links
 * refuses the renewals of a revoked link too.
 */
export async function mintBoardToken(
  secret: string,
  access: BoardAccess,
  ttlSeconds: number,
  now: Date = new Date(),
  linkIssuedAt?: number,
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000)
  const claims = linkIssuedAt === undefined ? {} : { link_iat: linkIssuedAt }
  return await new SignJWT({ room: access.room, role: access.role, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.round(ttlSeconds))
    .sign(keyFrom(secret))
}

/**
 * Verifies a board token for `room` and returns its access. Throws {@link BoardTokenError}
 * when it is missing, forged, expired, has an unknown role or names another room.
 */
export async function verifyBoardToken(
  secret: string,
  room: string,
  token: string | undefined,
  now: Date = new Date(),
): Promise<VerifiedBoardAccess> {
  if (!token) throw new BoardTokenError('missing', 'this board needs a link with an access token')
  let payload: Record<string, unknown>
  try {
    // `exp` required, as chainmap-sync requires it: a link the page accepts must also connect.
    const verified = await jwtVerify(token, keyFrom(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      currentDate: now,
    })
    payload = verified.payload
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new BoardTokenError('invalid', `the access token is not valid: ${reason}`)
  }
  const role = payload.role
  if (role !== 'edit' && role !== 'view') {
    throw new BoardTokenError('invalid', 'the access token has no valid role')
  }
  if (payload.room !== room) {
    throw new BoardTokenError('wrong-room', 'the access token is for another board')
  }
  const linkIssuedAt = typeof payload.link_iat === 'number' ? payload.link_iat : payload.iat
  return { room, role, linkIssuedAt: typeof linkIssuedAt === 'number' ? linkIssuedAt : 0 }
}
