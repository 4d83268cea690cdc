import { expect, test } from '@playwright/test'
import { createBoardFromHome, openBoard, product } from '../support/board.js'

const STORY = 'Ecosystem vs. single-product giant'

test('the timeline plays, pauses and scrubs; cards, sparklines and links follow the playhead', async ({
  page,
}) => {
  const board = await createBoardFromHome(page, STORY)
  await openBoard(page, board.editUrl)
  const card = product(page, 'Global Purchases')
  await expect(card).toHaveAttribute('data-users', /\d/)
  const day = page.getByTestId('timeline-day')
  const dayNumber = async () => Number((await day.textContent())?.replace('day ', ''))
  const link = page.getByTestId('chain-link').first()
  const dot = card.getByTestId('sparkline-dot')

  // What a card and a link show at the end of the year…
  await expect(card.getByTestId('product-users')).toHaveText(/\d/)
  await expect(card.getByTestId('product-lifetime')).toHaveText(/\d+(\.\d)? [dy]|∞/)
  await expect(page.getByTestId('link-label').first()).toContainText(/flow [\d.]+[kMB]?\/d/)
  const end = {
    users: await card.getByTestId('product-users').textContent(),
    dot: await dot.getAttribute('cx'),
    width: await link.getAttribute('data-width'),
  }
  // …changes when scrubbed back to day 100.
  await page.getByTestId('timeline-scrub').fill('100')
  await expect(day).toHaveText('day 100')
  await expect(card.getByTestId('product-users')).not.toHaveText(end.users ?? '')
  expect(Number(await dot.getAttribute('cx'))).toBeLessThan(Number(end.dot))
  await expect(link).not.toHaveAttribute('data-width', end.width ?? '')

  // Play moves the playhead forward; pause stops it.
  await page.getByTestId('timeline-scrub').fill('0')
  await page.getByTestId('timeline-play').click()
  await expect(page.getByTestId('timeline-play')).toHaveText('Pause')
  await expect.poll(dayNumber).toBeGreaterThan(30)
  await page.getByTestId('timeline-play').click()
  await expect(page.getByTestId('timeline-play')).toHaveText('Play')
  const paused = await dayNumber()
  await page.waitForTimeout(500)
  expect(await dayNumber()).toBe(paused)
  expect(Number(await dot.getAttribute('cx'))).toBeLessThan(Number(end.dot))
  await page.screenshot({ path: 'artifacts/timeline-paused.png' })
})
