/** Longest room (board) name accepted anywhere in chainmap. */
export const MAX_ROOM_NAME_LENGTH = 128

const ROOM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * Whether `name` is a valid board/room name: 1–128 characters of `A–Z a–z 0–9 . _ -`,
 * starting with a letter or digit (so it is safe in URLs, file names and log lines).
 */
export function isValidRoomName(name: string): boolean {
  return name.length <= MAX_ROOM_NAME_LENGTH && ROOM_NAME_PATTERN.test(name)
}
