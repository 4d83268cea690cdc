import { describe, expect, it } from 'vitest'
import { readSettings } from './env.js'
import { forwardedAddress } from './requestInfo.js'

describe('forwardedAddress', () => {
  it('takes the entry as many from the right as there are trusted proxies', () => {
    // The client wrote "6.6.6.6" itself; nginx appended the address it was reached from.
    expect(forwardedAddress('6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7')
    expect(forwardedAddress('6.6.6.6, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7')
    expect(forwardedAddress(['6.6.6.6', '203.0.113.7'], 1)).toBe('203.0.113.7')
  })

  it('takes the leftmost entry when there are fewer than the proxies, and nothing from nothing', () => {
    expect(forwardedAddress('203.0.113.7', 3)).toBe('203.0.113.7')
    expect(forwardedAddress(undefined, 1)).toBeUndefined()
    expect(forwardedAddress(' , ', 1)).toBeUndefined()
  })

  it('reads --trust-proxy as a count of proxies, with true meaning one', () => {
    expect(readSettings({}).trustProxy).toBe(0)
    expect(readSettings({ CHAINMAP_TRUST_PROXY: 'true' }).trustProxy).toBe(1)
    expect(readSettings({ CHAINMAP_TRUST_PROXY: 'no' }).trustProxy).toBe(0)
    expect(readSettings({}, { trustProxy: '2' }).trustProxy).toBe(2)
    expect(() => readSettings({ CHAINMAP_TRUST_PROXY: 'maybe' })).toThrow(
      /trustProxy \(CHAINMAP_TRUST_PROXY \/ --trust-proxy\)/,
    )
  })
})
