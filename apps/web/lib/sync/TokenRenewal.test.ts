import { SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TokenRenewal } from './TokenRenewal'

const key = new TextEncoder().encode('a-test-secret-that-is-long-enough-0123456789')

function tokenLiving(seconds: number, issuedAt = Math.floor(Date.now() / 1000)): Promise<string> {
  return new SignJWT({ room: 'b', role: 'edit' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + seconds)
    .sign(key)
}

describe('TokenRenewal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('renews halfway through the token’s life, hands the new one on, and renews that one in turn', async () => {
    const now = Math.floor(Date.now() / 1000)
    const first = await tokenLiving(100)
    // Signed beforehand: signing runs outside the fake clock.
    const renewals = [await tokenLiving(100, now + 50), await tokenLiving(100, now + 100)]
    const asked: string[] = []
    const applied: string[] = []
    const renewal = new TokenRenewal(
      first,
      async (current) => {
        asked.push(current)
        return renewals[asked.length - 1] ?? null
      },
      (token) => applied.push(token),
    )
    renewal.start()
    await vi.advanceTimersByTimeAsync(49_000)
    expect(asked).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(asked).toEqual([first])
    expect(applied).toEqual([renewals[0]])
    await vi.advanceTimersByTimeAsync(50_000)
    expect(asked).toEqual([first, renewals[0]])
    expect(applied).toEqual(renewals)
    renewal.stop()
    await vi.advanceTimersByTimeAsync(500_000)
    expect(asked).toHaveLength(2)
  })

  it('tries again a minute later while the token is valid, and gives up once it expired', async () => {
    const first = await tokenLiving(200)
    let calls = 0
    const renewal = new TokenRenewal(
      first,
      async () => {
        calls++
        throw new Error('offline')
      },
      () => {},
    )
    renewal.start()
    await vi.advanceTimersByTimeAsync(100_000)
    expect(calls).toBe(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toBe(2)
    await vi.advanceTimersByTimeAsync(600_000)
    // Expires at 200 s: the tries at 100 s and 160 s, none after.
    expect(calls).toBe(2)
  })

  it('does nothing for a token without an expiry', async () => {
    const forever = await new SignJWT({ room: 'b' }).setProtectedHeader({ alg: 'HS256' }).sign(key)
    let calls = 0
    new TokenRenewal(
      forever,
      async () => {
        calls++
        return null
      },
      () => {},
    ).start()
    await vi.advanceTimersByTimeAsync(10 ** 10)
    expect(calls).toBe(0)
  })
})
