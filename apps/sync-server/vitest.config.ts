import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Integration tests start real server processes; running files one at a time keeps the
    // 2-core machine from timing out under load.
    fileParallelism: false,
  },
})
