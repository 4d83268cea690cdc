'use server'

import { randomBytes } from 'node:crypto'
import { readEnv } from '@/env'
import { type BoardLinks, boardLinks } from '@/lib/boards/boardLinks'

/**
 * Creates a new board and mints its edit and view links on the server, where the shared secret
 * lives. The server picks the board's name (unguessable), so a view link's holder cannot ask
 * for an edit link to the same board. Anyone who can reach the web app may create boards: put
 * it behind your own login if that is too open.
 */
export async function createBoard(): Promise<BoardLinks> {
  const room = `board-${randomBytes(9)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')}`
  const env = readEnv()
  return await boardLinks(room, env.CHAINMAP_AUTH_SECRET, env.CHAINMAP_TOKEN_TTL_HOURS * 3600)
}
