import { describe, expect, it } from 'vitest'
import { readEnv } from './env'

describe('readEnv', () => {
  it('defaults the sync URL and leaves auth off', () => {
    const env = readEnv({})
    expect(env.CHAINMAP_SYNC_URL).toBe('ws://localhost:1234')
    expect(env.CHAINMAP_AUTH_SECRET).toBeUndefined()
  })

  it('names the variable that is wrong', () => {
    expect(() => readEnv({ CHAINMAP_SYNC_URL: 'http://x' })).toThrow(
      /CHAINMAP_SYNC_URL: must be a ws/,
    )
    expect(() => readEnv({ CHAINMAP_AUTH_SECRET: 'short' })).toThrow(/CHAINMAP_AUTH_SECRET/)
  })

  it('takes an invite code of at least 8 characters', () => {
    expect(readEnv({}).CHAINMAP_INVITE_CODE).toBeUndefined()
    expect(readEnv({ CHAINMAP_INVITE_CODE: 'team-2026-q4' }).CHAINMAP_INVITE_CODE).toBe(
      'team-2026-q4',
    )
    expect(() => readEnv({ CHAINMAP_INVITE_CODE: 'short' })).toThrow(/CHAINMAP_INVITE_CODE/)
  })

  it('passes the tldraw license key through', () => {
    expect(readEnv({ NEXT_PUBLIC_TLDRAW_LICENSE_KEY: 'key' }).NEXT_PUBLIC_TLDRAW_LICENSE_KEY).toBe(
      'key',
    )
  })
})
