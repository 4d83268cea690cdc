import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { SyncError } from '../SyncError.js'
import { mintToken, verifyToken } from './tokens.js'

const secret = 'a-test-secret-that-is-long-enough-0123456789'

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'accepted'
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError)
    return (error as SyncError).code
  }
}

describe('tokens', () => {
  it('mints tokens that verify for their room and role', async () => {
    const token = await mintToken(secret, { room: 'board-1', role: 'view' }, '1h')
    expect(await verifyToken(secret, token, 'board-1')).toMatchObject({
      room: 'board-1',
      role: 'view',
    })
  })

  it('refuses missing, forged, expired, other-room, exp-less and wrongly shaped tokens', async () => {
    const key = new TextEncoder().encode(secret)
    expect(await refusal(verifyToken(secret, null, 'r'))).toBe('missing-token')
    const forged = await mintToken('another-secret-that-is-long-enough-000000', {
      room: 'r',
      role: 'edit',
    })
    expect(await refusal(verifyToken(secret, forged, 'r'))).toBe('invalid-token')
    const expired = await new SignJWT({ room: 'r', role: 'edit' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key)
    expect(await refusal(verifyToken(secret, expired, 'r'))).toBe('expired-token')
    const other = await mintToken(secret, { room: 'other', role: 'edit' })
    expect(await refusal(verifyToken(secret, other, 'r'))).toBe('wrong-room')
    const noExp = await new SignJWT({ room: 'r', role: 'edit' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key)
    expect(await refusal(verifyToken(secret, noExp, 'r'))).toBe('invalid-token')
    const badRole = await new SignJWT({ room: 'r', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(key)
    expect(await refusal(verifyToken(secret, badRole, 'r'))).toBe('invalid-token')
    expect(await refusal(verifyToken(secret, 'not.a.jwt', 'r'))).toBe('invalid-token')
  })
})
