import { describe, expect, it } from 'vitest'
import { isValidRoomName, MAX_ROOM_NAME_LENGTH } from './roomName.js'

describe('isValidRoomName', () => {
  it('accepts url-safe names', () => {
    expect(isValidRoomName('strategy-2026_q1.v2')).toBe(true)
    expect(isValidRoomName('a'.repeat(MAX_ROOM_NAME_LENGTH))).toBe(true)
  })
  it('rejects empty, too long, traversal and unsafe names', () => {
    for (const bad of [
      '',
      'a'.repeat(MAX_ROOM_NAME_LENGTH + 1),
      '../etc',
      '.hidden',
      'a b',
      'a/b',
      'é',
    ]) {
      expect(isValidRoomName(bad), bad).toBe(false)
    }
  })
})
