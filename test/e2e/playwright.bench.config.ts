import { defineConfig } from '@playwright/test'
import base from './playwright.config.js'

/**
 * The whiteboard benchmark (`npm run bench -w @chainmap/e2e`): same servers and browser as the
 * browser tests, but its own folder, one long test, and never part of `npm test`.
 */
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: /.*\.bench\.ts/,
  timeout: 15 * 60_000,
})
