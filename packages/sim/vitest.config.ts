import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // A ceiling against hangs, not a speed target: CI runs every package's suite at once on 2 cores,
    // and property tests or spawned CLIs can take several seconds there. Speed lives in `npm run bench`.
    testTimeout: 60_000,
  },
})
