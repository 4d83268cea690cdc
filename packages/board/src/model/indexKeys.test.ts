import { T } from '@tldraw/validate'
import { describe, expect, it } from 'vitest'
import { indexKeyAt } from './indexKeys.js'

describe('indexKeyAt', () => {
  it('walks the integer keys in order, across digit-count boundaries', () => {
    expect([0, 1, 9, 10, 61, 62, 63].map(indexKeyAt)).toEqual([
      'a0',
      'a1',
      'a9',
      'aA',
      'az',
      'b00',
      'b01',
    ])
    expect(indexKeyAt(62 + 62 * 62)).toBe('c000')
  })

  it('gives valid, strictly increasing tldraw index keys', () => {
    let previous = ''
    for (let n = 0; n < 5000; n++) {
      const key = indexKeyAt(n)
      expect(T.indexKey.validate(key)).toBe(key)
      expect(key > previous).toBe(true)
      previous = key
    }
  })
})
