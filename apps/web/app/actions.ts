'use server'

import { randomBytes } from 'node:crypto'
import { readEnv } from '@/env'
import { type BoardLinks, boardLinks } from '@/lib/boards/boardLinks'
import { checkInviteCode, InviteCodeError } from '@/lib/boards/inviteCode'

/** What creating a board gave: its links, or why there are none. */
export type CreateBoardResult =
  | { readonly ok: true; readonly links: BoardLinks }
  | { readonly ok: false; readonly message: string }

/**
 * Creates a new board and mints its edit and view links on the server, where the shared secret
 * lives. The server picks the board's name (unguessable), so a view link's holder cannot ask
 * for an edit link to the same board. With `CHAINMAP_INVITE_CODE` set, only a caller who gives
 * that code may create one (see docs/self-hosting.md for putting the web app behind your login).
 */
export async function createBoard(inviteCode?: unknown): Promise<CreateBoardResult> {
  const env = readEnv()
  try {
    checkInviteCode(env.CHAINMAP_INVITE_CODE, inviteCode)
  } catch (error) {
    if (error instanceof InviteCodeError) return { ok: false, message: error.message }
    throw error
  }
  const room = `board-${randomBytes(9)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')}`
  return {
    ok: true,
    links: await boardLinks(room, env.CHAINMAP_AUTH_SECRET, env.CHAINMAP_TOKEN_TTL_HOURS * 3600),
  }
}
