import { errors, jwtVerify, SignJWT } from 'jose'
import { z } from 'zod'
import { CloseCodes } from '../closeCodes.js'
import { SyncError } from '../SyncError.js'

/** What a connection may do in its room. */
export type Role = 'edit' | 'view'

/** The claims chainmap-sync reads from a token. */
export interface AccessClaims {
  /** The one room the token opens. */
  readonly room: string
  /** `edit` may change the board; `view` receives everything and its updates are dropped. */
  readonly role: Role
  /**
   * When the token's link was first issued, in seconds since the epoch: `link_iat` of a renewed
   * token, else `iat` (0 when neither says). Revocations compare against it.
   */
  readonly issuedAt?: number
  /** When the token expires, in seconds since the epoch (none for an open server). */
  readonly expiresAt?: number
}

const claimsSchema = z.object({
  room: z.string().min(1),
  role: z.enum(['edit', 'view']),
  exp: z.number(),
  iat: z.number().optional(),
  // A renewed token's link: when it was first issued (the web app renews open boards' tokens).
  link_iat: z.number().optional(),
})

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret)
}

/**
 * Mints an HS256 token for one room and role, valid for `expiresIn` (a jose duration such as
 * `'1h'`, `'7d'`, or seconds as a number).
 */
export async function mintToken(
  secret: string,
  claims: AccessClaims,
  expiresIn: string | number = '24h',
): Promise<string> {
  return new SignJWT({ room: claims.room, role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === 'number' ? `${expiresIn}s` : expiresIn)
    .sign(keyOf(secret))
}

/**
 * Verifies `token` for `room`: HS256 only, signature, `exp` required and not past, claims shaped
 * right, and the token's room equal to `room`. Throws a {@link SyncError} with the refusal reason.
 */
export async function verifyToken(
  secret: string,
  token: string | null | undefined,
  room: string,
): Promise<AccessClaims> {
  if (!token) {
    throw new SyncError('missing-token', 'a token is required', CloseCodes.unauthorized)
  }
  let payload: unknown
  try {
    ;({ payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
    }))
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new SyncError('expired-token', 'the token has expired', CloseCodes.unauthorized)
    }
    throw new SyncError('invalid-token', 'the token is invalid', CloseCodes.unauthorized)
  }
  const parsed = claimsSchema.safeParse(payload)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')
    throw new SyncError(
      'invalid-token',
      `the token lacks valid claims: ${fields}`,
      CloseCodes.unauthorized,
    )
  }
  if (parsed.data.room !== room) {
    throw new SyncError('wrong-room', 'the token is for another room', CloseCodes.forbidden)
  }
  return {
    room: parsed.data.room,
    role: parsed.data.role,
    issuedAt: parsed.data.link_iat ?? parsed.data.iat ?? 0,
    expiresAt: parsed.data.exp,
  }
}
