import { expect, test } from '@playwright/test'
import { syncPort } from '../support/ports.js'

test('the home page offers a new board and the sync server is healthy', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'chainmap' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Blank board' })).toBeVisible()
  const health = await page.request.get(`http://127.0.0.1:${syncPort}/healthz`)
  expect(health.ok()).toBe(true)
  await page.screenshot({ path: 'artifacts/home.png' })
})

test('a board link without a token is refused when auth is on', async ({ page }) => {
  await page.goto('/b/some-board')
  await expect(page.getByTestId('refusal')).toContainText('needs a link with an access token')
})
