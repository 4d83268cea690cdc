'use server'

import { readEnv } from '@/env'
import { BoardTokenError, mintBoardToken, verifyBoardToken } from '@/lib/auth/boardTokens'

/**
 * A fresh token for the board link `token` opens, with the same role, while that token is still
 * valid: an open board keeps working past its link's expiry. The new token keeps the link's first
 * issue time, so a board's revoked links cannot be renewed into working ones.
 * @returns the new token, or null when there is nothing to renew (no auth, or a bad token)
 */
export async function renewBoardToken(room: string, token: string): Promise<string | null> {
  const env = readEnv()
  if (!env.CHAINMAP_AUTH_SECRET) return null
  try {
    const access = await verifyBoardToken(env.CHAINMAP_AUTH_SECRET, room, token)
    return await mintBoardToken(
      env.CHAINMAP_AUTH_SECRET,
      { room, role: access.role },
      env.CHAINMAP_TOKEN_TTL_HOURS * 3600,
      new Date(),
      access.linkIssuedAt,
    )
  } catch (error) {
    if (error instanceof BoardTokenError) return null
    throw error
  }
}
