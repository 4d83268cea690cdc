import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SyncError } from '../SyncError.js'
import {
  readMessage,
  writeAwareness,
  writePermissionDenied,
  writeQueryAwareness,
  writeSyncStep1,
  writeSyncStep2,
  writeUpdate,
} from './messages.js'

function sampleUpdate(): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('m').set('k', 'v')
  return Y.encodeStateAsUpdate(doc)
}

function awarenessUpdate(): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, 42)
  encoding.writeVarUint(e, 3)
  encoding.writeVarString(e, JSON.stringify({ user: 'ada' }))
  return encoding.toUint8Array(e)
}

function codeOf(frame: Uint8Array): string {
  try {
    readMessage(frame)
    return 'ok'
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError)
    return (error as SyncError).code
  }
}

describe('protocol read/write pairs', () => {
  it('round-trips every message type', () => {
    const update = sampleUpdate()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, update)
    const sv = Y.encodeStateVector(doc)
    expect(readMessage(writeSyncStep1(sv))).toEqual({ type: 'syncStep1', stateVector: sv })
    expect(readMessage(writeSyncStep2(update))).toEqual({ type: 'syncStep2', update, items: 1 })
    expect(readMessage(writeUpdate(update))).toEqual({ type: 'update', update, items: 1 })
    const aw = awarenessUpdate()
    expect(readMessage(writeAwareness(aw))).toEqual({
      type: 'awareness',
      entries: [{ clientId: 42, clock: 3, json: '{"user":"ada"}', state: { user: 'ada' } }],
    })
    expect(readMessage(writeQueryAwareness())).toEqual({ type: 'queryAwareness' })
    expect(readMessage(writePermissionDenied('read-only'))).toEqual({
      type: 'permissionDenied',
      reason: 'read-only',
    })
  })

  it('rejects unknown types, bad varints, truncation, trailing bytes and corrupt payloads by name', () => {
    expect(codeOf(new Uint8Array([]))).toBe('malformed-frame')
    expect(codeOf(new Uint8Array([9]))).toBe('unknown-message-type')
    expect(codeOf(new Uint8Array([0, 7, 0]))).toBe('unknown-message-type')
    expect(codeOf(new Uint8Array([2, 5]))).toBe('unknown-message-type')
    expect(
      codeOf(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
    ).toBe('malformed-frame')
    expect(codeOf(new Uint8Array([0, 2, 50, 1, 2]))).toBe('malformed-frame')
    expect(codeOf(new Uint8Array([...writeUpdate(sampleUpdate()), 0]))).toBe('malformed-frame')
    expect(codeOf(new Uint8Array([0, 2, 3, 0xff, 0xff, 0xff]))).toBe('corrupt-update')
    expect(codeOf(new Uint8Array([0, 0, 2, 0xff, 0xff]))).toBe('malformed-frame')
    expect(codeOf(writeAwareness(new Uint8Array([1, 1, 1, 1, 123])))).toBe('corrupt-awareness')
    expect(codeOf(new Uint8Array([3, 0]))).toBe('malformed-frame')
  })

  it('never reads past the frame inside a larger buffer', () => {
    const pool = new Uint8Array(64).fill(7)
    pool.set([0, 2, 40], 0)
    expect(codeOf(pool.subarray(0, 3))).toBe('malformed-frame')
  })
})
