import type { BoardLinks } from './boardLinks'

/** A board this browser opened or created, with its links. */
export interface RecentBoard extends BoardLinks {
  title: string
  openedAt: string
}

const STORAGE_KEY = 'chainmap:recent-boards'
const KEEP = 20

/** The boards this browser knows, newest first. */
export function loadRecentBoards(storage: Storage = window.localStorage): RecentBoard[] {
  try {
    const parsed = JSON.parse(storage.getItem(STORAGE_KEY) ?? '[]') as unknown
    return Array.isArray(parsed)
      ? parsed.filter(
          (b): b is RecentBoard =>
            typeof b === 'object' &&
            b !== null &&
            typeof b.room === 'string' &&
            typeof b.edit === 'string',
        )
      : []
  } catch {
    return []
  }
}

/** Remembers a board (moving it to the top). */
export function rememberBoard(board: RecentBoard, storage: Storage = window.localStorage): void {
  const rest = loadRecentBoards(storage).filter((b) => b.room !== board.room)
  storage.setItem(STORAGE_KEY, JSON.stringify([board, ...rest].slice(0, KEEP)))
}
