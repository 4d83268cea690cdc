import { expect, test } from '@playwright/test'
import { openNewBoard, placeShape, product, selectFirstLink, setField } from '../support/board.js'

const STORY = 'Ecosystem vs. single-product giant'

test("the story template shows the ecosystem's product winning its market", async ({ page }) => {
  await openNewBoard(page, STORY)
  const giant = product(page, 'Chinese Baby')
  const ecosystem = product(page, 'Global Purchases')
  await expect(giant).toHaveAttribute('data-share', /\d/, { timeout: 30_000 })
  await expect(ecosystem).toHaveAttribute('data-share', /\d/)
  await page.screenshot({ path: 'artifacts/story-end.png' })

  // At the end of the year the ecosystem's newcomer holds most of the cross-border market.
  const endShare = Number(await ecosystem.getAttribute('data-share'))
  const giantEndShare = Number(await giant.getAttribute('data-share'))
  expect(endShare).toBeGreaterThan(0.6)
  expect(endShare).toBeGreaterThan(giantEndShare)

  // Scrubbed back to day 80 the giant, which launched first, has the market to itself.
  const scrub = page.getByTestId('timeline-scrub')
  await scrub.fill('80')
  await expect(page.getByTestId('timeline-day')).toHaveText('day 80')
  await expect(giant).toHaveAttribute('data-share', '1.000000')
  expect(Number(await ecosystem.getAttribute('data-share'))).toBe(0)
  await page.screenshot({ path: 'artifacts/story-day-80.png' })
})

test('chart shapes draw users per company and a market share over time', async ({ page }) => {
  await openNewBoard(page, STORY)
  await expect(product(page, 'Global Purchases')).toHaveAttribute('data-share', /\d/)
  await placeShape(page, 'Chart', 120, 520)
  const chart = page.getByTestId('chart-shape')
  await expect(chart).toHaveAttribute('data-kind', 'company-users')
  await expect(chart).toHaveAttribute('data-lines', '2')
  await page.getByTestId('chart-kind').selectOption('market-share')
  await page.getByTestId('chart-market').selectOption({ label: 'Cross-border purchasing' })
  await expect(chart).toHaveAttribute('data-kind', 'market-share')
  await expect(chart).toHaveAttribute('data-lines', '2')
  await page.screenshot({ path: 'artifacts/chart.png' })

  // The chart follows the model live: a weaker chain changes the market's share curves.
  const before = await chart.locator('polyline').first().getAttribute('points')
  await page.mouse.click(900, 150)
  await selectFirstLink(page)
  await setField(page, 'lockIn', '0')
  await setField(page, 'funnel', '0')
  await expect(chart.locator('polyline').first()).not.toHaveAttribute('points', before ?? '')
})
