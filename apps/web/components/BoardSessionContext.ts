import { createContext, useContext } from 'react'
import type { BoardSession } from '@/lib/sync/BoardSession'

/** The open board session, for the panels drawn in and around the canvas. */
export const BoardSessionContext = createContext<BoardSession | null>(null)

/** The open board session; throws outside a board. */
export function useBoardSession(): BoardSession {
  const session = useContext(BoardSessionContext)
  if (!session) throw new Error('useBoardSession must be used inside a board')
  return session
}
