import { expect, test } from '@playwright/test'

const syncPort = Number(process.env.CHAINMAP_TEST_SYNC_PORT ?? 1334)

test('the home page renders and the browser can open a websocket to the sync server', async ({
  page,
}) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'chainmap' })).toBeVisible()
  const opened = await page.evaluate(async (port) => {
    return await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/smoke-room`)
      ws.onopen = () => {
        ws.close()
        resolve(true)
      }
      ws.onerror = () => resolve(false)
    })
  }, syncPort)
  expect(opened).toBe(true)
  await page.screenshot({ path: 'artifacts/home.png' })
})
