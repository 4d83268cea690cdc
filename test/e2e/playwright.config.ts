import { defineConfig } from '@playwright/test'
import { syncPort, webPort } from './support/ports.js'

/** Test-only HS256 secret shared by both servers, so view links are enforced by the server. */
const authSecret = 'chainmap-e2e-only-secret-0123456789abcdef'

/**
 * Browser tests run Debian's Chromium (never a downloaded browser) against the production
 * builds of the web app and the sync server, started here on their own test ports.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${webPort}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: `node ../../apps/sync-server/dist/cli.js`,
      env: {
        CHAINMAP_SYNC_PORT: String(syncPort),
        CHAINMAP_SYNC_HOST: '127.0.0.1',
        CHAINMAP_DATA: './test-results/sync-data',
        CHAINMAP_AUTH_SECRET: authSecret,
        // CI exports DATABASE_URL/REDIS_URL for the multi-node suites; the browser tests keep
        // their own throwaway SQLite folder instead of sharing PostgreSQL's default schema.
        DATABASE_URL: '',
        REDIS_URL: '',
      },
      url: `http://127.0.0.1:${syncPort}/healthz`,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `npm exec -w @chainmap/web -- next start -p ${webPort} -H 127.0.0.1`,
      cwd: '../..',
      env: {
        CHAINMAP_SYNC_URL: `ws://127.0.0.1:${syncPort}`,
        CHAINMAP_AUTH_SECRET: authSecret,
      },
      url: `http://127.0.0.1:${webPort}`,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
})
