import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from './proxy'

describe('contentSecurityPolicy', () => {
  it('lets scripts run only with the nonce, and never be evaluated in production', () => {
    const policy = contentSecurityPolicy('abc123', false)
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'")
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(policy).not.toContain('unsafe-eval')
    expect(policy).toContain("frame-ancestors 'none'")
    expect(contentSecurityPolicy('abc123', true)).toContain("'unsafe-eval'")
  })
})
