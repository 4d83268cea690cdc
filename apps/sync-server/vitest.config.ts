import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Integration tests mostly wait on the server processes they start, so a few files may run at
    // once; more would starve the 2-core machine and turn waits into timeouts.
    maxWorkers: 3,
  },
})
