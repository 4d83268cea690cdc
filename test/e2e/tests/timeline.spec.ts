import { expect, test } from '@playwright/test'
import { openNewBoard, product } from '../support/board.js'

const STORY = 'Ecosystem vs. single-product giant'

test('the timeline plays, pauses and scrubs; cards, sparklines and links follow the playhead', async ({
  page,
}) => {
  await openNewBoard(page, STORY)
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

type ZoomWindow = Window & {
  chainmap: {
    editor: { setCamera(c: { x: number; y: number; z: number }): void; zoomToFit(): void }
  }
}

test('zoomed too far out to read, cards stop redrawing their numbers and catch up when zoomed in', async ({
  page,
}) => {
  await openNewBoard(page, STORY)
  const card = product(page, 'Global Purchases')
  const users = card.getByTestId('product-users')
  await expect(card).toHaveAttribute('data-users', /\d/)
  const scrub = page.getByTestId('timeline-scrub')
  await scrub.fill('200')
  const at200 = { text: await users.textContent(), exact: await card.getAttribute('data-users') }
  await scrub.fill('365')
  await expect(users).not.toHaveText(at200.text ?? '')
  const at365 = await users.textContent()

  // At 10 % the 12 px numbers are about 1 px tall: the text is left alone, the data stays true.
  await page.evaluate(() => {
    ;(window as unknown as ZoomWindow).chainmap.editor.setCamera({ x: 0, y: 0, z: 0.1 })
  })
  await scrub.fill('200')
  await expect(card).toHaveAttribute('data-users', at200.exact ?? '')
  await expect(users).toHaveText(at365 ?? '')

  // Zoomed back in (the whole story in view), the card shows the day's numbers at once.
  await page.evaluate(() => {
    ;(window as unknown as ZoomWindow).chainmap.editor.zoomToFit()
  })
  await expect(users).toHaveText(at200.text ?? '')
})
