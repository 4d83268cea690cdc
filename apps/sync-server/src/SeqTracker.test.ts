import { describe, expect, it } from 'vitest'
import { SeqTracker } from './SeqTracker.js'

describe('SeqTracker', () => {
  it('advances only over an unbroken run and reports holes', () => {
    const tracker = new SeqTracker()
    tracker.saw(1)
    tracker.saw(2)
    expect(tracker.applied).toBe(2)
    tracker.saw(4)
    tracker.saw(5)
    expect(tracker.applied).toBe(2)
    expect(tracker.hasGap).toBe(true)
    tracker.saw(3)
    expect(tracker.applied).toBe(5)
    expect(tracker.hasGap).toBe(false)
    tracker.saw(2)
    expect(tracker.applied).toBe(5)
  })

  it('jumps forward after a catch-up and keeps what was seen beyond it', () => {
    const tracker = new SeqTracker()
    tracker.caughtUp(10)
    tracker.saw(13)
    tracker.saw(15)
    tracker.caughtUp(12)
    expect(tracker.applied).toBe(13)
    expect(tracker.hasGap).toBe(true)
    tracker.caughtUp(20)
    expect(tracker.applied).toBe(20)
    expect(tracker.hasGap).toBe(false)
  })
})
