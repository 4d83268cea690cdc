import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // A ceiling against hangs, not a speed target: CI runs every package's suite at once on 2 cores,
    // and the first elkjs layout (loading and compiling elkjs) took 6.8 s there once, past vitest's
    // default of 5 s. Speed lives in `npm run bench`.
    testTimeout: 60_000,
  },
})
