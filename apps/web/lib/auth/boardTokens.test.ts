import { decodeJwt, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { BoardTokenError, mintBoardToken, verifyBoardToken } from './boardTokens'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const NOW = new Date('2026-01-01T00:00:00Z')

describe('board tokens', () => {
  it('carry the claims chainmap-sync checks: room, role and exp', async () => {
    const token = await mintBoardToken(SECRET, { room: 'board-1', role: 'view' }, 3600, NOW)
    const claims = decodeJwt(token)
    expect(claims.room).toBe('board-1')
    expect(claims.role).toBe('view')
    expect(claims.exp).toBe(NOW.getTime() / 1000 + 3600)
    await expect(verifyBoardToken(SECRET, 'board-1', token, NOW)).resolves.toEqual({
      room: 'board-1',
      role: 'view',
      linkIssuedAt: NOW.getTime() / 1000,
    })
  })

  it('keep the first issue time of a link through renewals', async () => {
    const later = new Date(NOW.getTime() + 86_400_000)
    const first = NOW.getTime() / 1000
    const renewed = await mintBoardToken(SECRET, { room: 'b', role: 'edit' }, 60, later, first)
    expect(decodeJwt(renewed)).toMatchObject({ iat: first + 86_400, link_iat: first })
    expect(await verifyBoardToken(SECRET, 'b', renewed, later)).toMatchObject({
      linkIssuedAt: first,
    })
  })

  it('refuse a missing, forged, expired or other-room token with a reason', async () => {
    const token = await mintBoardToken(SECRET, { room: 'board-1', role: 'edit' }, 60, NOW)
    const forged = await mintBoardToken(`${SECRET}-not`, { room: 'board-1', role: 'edit' }, 60, NOW)
    const later = new Date(NOW.getTime() + 120_000)
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (error: unknown) => (error instanceof BoardTokenError ? error.code : 'other'),
      )
    expect(await codeOf(verifyBoardToken(SECRET, 'board-1', undefined, NOW))).toBe('missing')
    expect(await codeOf(verifyBoardToken(SECRET, 'board-1', forged, NOW))).toBe('invalid')
    expect(await codeOf(verifyBoardToken(SECRET, 'board-1', token, later))).toBe('invalid')
    expect(await codeOf(verifyBoardToken(SECRET, 'board-2', token, NOW))).toBe('wrong-room')
    // Without exp chainmap-sync refuses it, so the page must too.
    const forever = await new SignJWT({ room: 'board-1', role: 'edit' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await codeOf(verifyBoardToken(SECRET, 'board-1', forever, NOW))).toBe('invalid')
  })
})
