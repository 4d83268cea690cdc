import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { expect, type Page, test } from '@playwright/test'
import { createBoardFromHome, openBoard, waitForBoard } from '../support/board.js'
import { syncPort } from '../support/ports.js'

/** Collects the page's Content-Security-Policy violations as the browser reports them. */
function cspViolations(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
  return violations
}

test('every page is sent with a Content-Security-Policy, no framing and no referrer, and the board works under them', async ({
  page,
}) => {
  const violations = cspViolations(page)
  const home = await page.request.get('/')
  const headers = home.headers()
  const policy = headers['content-security-policy'] ?? ''
  expect(policy).toContain("frame-ancestors 'none'")
  // Scripts need this response's nonce: an injected one does not run.
  const scripts = /script-src ([^;]*)/.exec(policy)?.[1] ?? ''
  expect(scripts).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'$/)
  const again = (await page.request.get('/')).headers()['content-security-policy'] ?? ''
  expect(/script-src ([^;]*)/.exec(again)?.[1]).not.toBe(scripts)
  expect(headers['x-frame-options']).toBe('DENY')
  expect(headers['referrer-policy']).toBe('no-referrer')

  const board = await createBoardFromHome(page, 'Ecosystem vs. single-product giant')
  const boardPage = await page.request.get(board.editUrl)
  expect(boardPage.headers()['content-security-policy']).toContain("default-src 'self'")
  await openBoard(page, board.editUrl)
  await expect(page.getByTestId('product-shape').first()).toBeVisible()
  expect(violations).toEqual([])
})

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** The production build of the web app on its own port, with `env` added. */
async function startWeb(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(
    'npm',
    ['exec', '-w', '@chainmap/web', '--', 'next', 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: '../..',
      env: { ...process.env, CHAINMAP_SYNC_URL: `ws://127.0.0.1:${syncPort}`, ...env },
      stdio: 'ignore',
      detached: true,
    },
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if ((await fetch(url)).ok) return { url, child }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the web app with an invite code did not start')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

test('with CHAINMAP_INVITE_CODE set, only someone who types the code can create a board', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const web = await startWeb({
    CHAINMAP_INVITE_CODE: 'team-2026-q4',
    CHAINMAP_AUTH_SECRET: 'chainmap-e2e-only-secret-0123456789abcdef',
  })
  try {
    await page.goto(web.url)
    const code = page.getByLabel('Invite code')
    await expect(code).toBeVisible()
    await code.click()
    await page.keyboard.type('not-the-code')
    await page.getByRole('button', { name: /Blank board/ }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'Could not create' })).toHaveText(
      'Could not create a board: the invite code is wrong — ask whoever runs this chainmap for the current one',
    )
    await page.screenshot({ path: 'artifacts/home-invite-refused.png' })
    expect(page.url()).toBe(`${web.url}/`)

    await code.fill('')
    await code.click()
    await page.keyboard.type('team-2026-q4')
    await page.getByRole('button', { name: /Blank board/ }).click()
    await page.waitForURL(/\/b\/board-[^/?]+\?token=/)
    await waitForBoard(page)
  } finally {
    if (web.child.pid) process.kill(-web.child.pid, 'SIGTERM')
  }
})

test('an open board renews its link before it expires, so the connection outlives the first token', async ({
  page,
}) => {
  test.setTimeout(120_000)
  // Links live 10.8 s here: renewed at 5.4 s; the sync server closes the first token's connection
  // at 10.8 s, and the client reconnects with the renewed one.
  const web = await startWeb({
    CHAINMAP_TOKEN_TTL_HOURS: '0.003',
    CHAINMAP_AUTH_SECRET: 'chainmap-e2e-only-secret-0123456789abcdef',
  })
  try {
    await page.goto(web.url)
    await page.getByRole('button', { name: /Blank board/ }).click()
    await page.waitForURL(/\/b\/board-[^/?]+\?token=/)
    await waitForBoard(page)
    const first = new URL(page.url()).searchParams.get('token')
    await expect
      .poll(() => new URL(page.url()).searchParams.get('token'), { timeout: 15_000 })
      .not.toBe(first)
    await page.waitForTimeout(8_000)
    await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online')
    await page.reload()
    await waitForBoard(page)
  } finally {
    if (web.child.pid) process.kill(-web.child.pid, 'SIGTERM')
  }
})
