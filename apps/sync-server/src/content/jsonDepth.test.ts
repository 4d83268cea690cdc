import { describe, expect, it } from 'vitest'
import { nestsDeeperThan } from './jsonDepth.js'

function nested(depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value }
  return value
}

describe('nestsDeeperThan', () => {
  it('counts arrays and objects as levels, scalars as none', () => {
    expect(nestsDeeperThan(7, 0)).toBe(false)
    expect(nestsDeeperThan('text', 0)).toBe(false)
    expect(nestsDeeperThan(null, 0)).toBe(false)
    expect(nestsDeeperThan([], 0)).toBe(true)
    expect(nestsDeeperThan(nested(3), 3)).toBe(false)
    expect(nestsDeeperThan(nested(4), 3)).toBe(true)
  })

  it('finds the deepest branch, not only the first', () => {
    expect(nestsDeeperThan({ a: 1, b: [2, { c: [nested(5)] }] }, 8)).toBe(true)
    expect(nestsDeeperThan({ a: 1, b: [2, { c: [nested(5)] }] }, 9)).toBe(false)
  })

  it('sees what an object set as a prototype would add to the encoding', () => {
    const value: Record<string, unknown> = {}
    Object.setPrototypeOf(value, { inherited: nested(10) })
    expect(nestsDeeperThan(value, 5)).toBe(true)
  })

  it('measures a value far deeper than the stack allows recursion for', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)
    expect(nestsDeeperThan(deep, 64)).toBe(true)
  })
})
