/**
 * Animation frames under the test's control. tldraw hands store changes to listeners once per
 * animation frame in a browser, but at once under vitest; this restores the browser's behaviour,
 * with `frame()` standing for one frame (and 17 ms of `Date.now`).
 */
export interface ManualFrames {
  /** Run one animation frame. */
  frame(): void
  /** Put back the real clock and vitest's immediate flushing. */
  uninstall(): void
}

type Globals = {
  __FORCE_RAF_IN_TESTS__?: boolean
  requestAnimationFrame?: (cb: (time: number) => void) => number
  cancelAnimationFrame?: (id: number) => void
}

/** Install manual animation frames (see {@link ManualFrames}). */
export function installManualFrames(): ManualFrames {
  const globals = globalThis as Globals
  const saved = { ...globals }
  const realNow = Date.now
  let now = realNow()
  let nextId = 1
  const callbacks = new Map<number, (time: number) => void>()
  globals.__FORCE_RAF_IN_TESTS__ = true
  globals.requestAnimationFrame = (cb) => {
    const id = nextId++
    callbacks.set(id, cb)
    return id
  }
  globals.cancelAnimationFrame = (id) => {
    callbacks.delete(id)
  }
  Date.now = () => now
  return {
    frame() {
      now += 17
      const due = [...callbacks.values()]
      callbacks.clear()
      for (const cb of due) cb(now)
    },
    uninstall() {
      Date.now = realNow
      globals.__FORCE_RAF_IN_TESTS__ = saved.__FORCE_RAF_IN_TESTS__
      globals.requestAnimationFrame = saved.requestAnimationFrame
      globals.cancelAnimationFrame = saved.cancelAnimationFrame
    },
  }
}
