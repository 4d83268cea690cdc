import { mintBoardToken } from '@/lib/auth/boardTokens'

/** The two links of a board: one to edit it, one to only look at it. */
export interface BoardLinks {
  room: string
  edit: string
  view: string
}

/**
 * The edit and view links of a board. With a secret, each carries a token the sync server
 * checks (so a view link really cannot write); without one, auth is off and the view link is
 * a courtesy the canvas enforces, not the server.
 */
export async function boardLinks(
  room: string,
  secret: string | undefined,
  ttlSeconds: number,
): Promise<BoardLinks> {
  const base = `/b/${encodeURIComponent(room)}`
  if (!secret) return { room, edit: base, view: `${base}?view=1` }
  const [edit, view] = await Promise.all([
    mintBoardToken(secret, { room, role: 'edit' }, ttlSeconds),
    mintBoardToken(secret, { room, role: 'view' }, ttlSeconds),
  ])
  return { room, edit: `${base}?token=${edit}`, view: `${base}?token=${view}` }
}
