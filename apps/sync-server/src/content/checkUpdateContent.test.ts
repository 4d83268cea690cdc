import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SyncError } from '../SyncError.js'
import { deepAnyUpdate, legacyJsonUpdate, nestedJson, nestedValue } from '../testkit/hostile.js'
import { checkUpdateContent } from './checkUpdateContent.js'
import { MAX_JSON_DEPTH } from './jsonDepth.js'

function refusal(update: Uint8Array): string {
  try {
    checkUpdateContent(update, 'sync update')
    return 'accepted'
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError)
    return `${(error as SyncError).code}: ${(error as SyncError).message}`
  }
}

function mapUpdate(fill: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc()
  fill(doc)
  return Y.encodeStateAsUpdate(doc)
}

describe('checkUpdateContent', () => {
  it('accepts what the board writes: strings, numbers, nested maps, text with formats', () => {
    const update = mapUpdate((doc) => {
      const record = new Y.Map<unknown>()
      doc.getMap('records').set('shape:1', record)
      record.set('x', 12.5)
      record.set('props', { richText: { type: 'doc', content: [{ type: 'paragraph' }] } })
      doc.getText('t').insert(0, 'bold', { bold: true })
      doc.getArray('a').insert(0, [nestedValue(MAX_JSON_DEPTH - 1)])
    })
    expect(refusal(update)).toBe('accepted')
  })

  it('refuses a value nested deeper than the bound, in a map, an array or a text format', () => {
    const deep = nestedValue(MAX_JSON_DEPTH + 1)
    expect(refusal(mapUpdate((doc) => doc.getMap('m').set('k', deep)))).toMatch(
      /^refused-content: .*nested more than 64 levels/,
    )
    expect(refusal(mapUpdate((doc) => doc.getArray('a').insert(0, [deep])))).toMatch(
      /^refused-content/,
    )
    expect(
      refusal(mapUpdate((doc) => doc.getText('t').insert(0, 'x', { style: deep as object }))),
    ).toMatch(/^refused-content/)
  })

  it('refuses a hand-encoded value far deeper than an encoder could write', () => {
    expect(refusal(deepAnyUpdate(7, 'records', 'k', 8_000))).toMatch(/^refused-content: .*nested/)
    expect(refusal(deepAnyUpdate(7, 'records', 'k', 100_000))).toMatch(/^refused-content: .*nested/)
    expect(refusal(deepAnyUpdate(7, 'records', 'k', MAX_JSON_DEPTH))).toBe('accepted')
  })

  it('refuses legacy JSON content of any depth, which current Yjs never writes', () => {
    expect(refusal(legacyJsonUpdate(7, 'records', 'k', '{"a":1}'))).toMatch(
      /^refused-content: .*legacy JSON content/,
    )
    expect(refusal(legacyJsonUpdate(7, 'records', 'k', nestedJson(10_000)))).toMatch(
      /^refused-content: .*legacy JSON content/,
    )
  })

  it('refuses sub-documents', () => {
    const update = mapUpdate((doc) => doc.getMap('m').set('sub', new Y.Doc()))
    expect(refusal(update)).toMatch(/^refused-content: .*sub-document/)
  })

  it('names a corrupt update as corrupt', () => {
    expect(refusal(new Uint8Array([3, 0xff, 0xff, 0xff]))).toMatch(/^corrupt-update: /)
  })
})
