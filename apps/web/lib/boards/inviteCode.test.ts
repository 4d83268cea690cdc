import { describe, expect, it } from 'vitest'
import { checkInviteCode, InviteCodeError } from './inviteCode'

describe('checkInviteCode', () => {
  it('requires nothing when no code is set', () => {
    expect(() => checkInviteCode(undefined, undefined)).not.toThrow()
    expect(() => checkInviteCode(undefined, 'anything')).not.toThrow()
  })

  it('accepts the code, with spaces around it, and refuses anything else', () => {
    expect(() => checkInviteCode('team-2026-q4', ' team-2026-q4 ')).not.toThrow()
    expect(() => checkInviteCode(' team-2026-q4\n', 'team-2026-q4')).not.toThrow()
    for (const wrong of [undefined, '', 'team-2026-q5', 'team-2026-q4x', 'TEAM-2026-Q4', 42, {}]) {
      expect(() => checkInviteCode('team-2026-q4', wrong)).toThrow(InviteCodeError)
    }
  })
})
