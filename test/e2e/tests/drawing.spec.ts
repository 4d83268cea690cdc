import { expect, test } from '@playwright/test'
import {
  openNewBoard,
  placeShape,
  product,
  secondBrowser,
  setField,
  toolButton,
} from '../support/board.js'

interface Shapeish {
  id: string
  type: string
  parentId: string
  props: Record<string, unknown>
}
type ChainmapWindow = Window & { chainmap: { editor: { getCurrentPageShapes(): Shapeish[] } } }

const shapes = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as ChainmapWindow).chainmap.editor.getCurrentPageShapes())

test('a chain drawn with the tools: company, market lanes, products and a chain link get live numbers', async ({
  page,
}) => {
  await openNewBoard(page)

  // Two market lanes, dragged out with the Market lane tool.
  for (const [name, top] of [
    ['Payments', 130],
    ['Shopping', 330],
  ] as const) {
    await toolButton(page, 'Market lane').click()
    await page.mouse.move(320, top)
    await page.mouse.down()
    await page.mouse.move(700, top + 80, { steps: 5 })
    await page.mouse.move(1050, top + 170, { steps: 5 })
    await page.mouse.up()
    await setField(page, 'name', name)
  }
  await expect(page.getByTestId('market-shape')).toHaveCount(2)

  // A company, in its colour.
  await placeShape(page, 'Company', 200, 560)
  await setField(page, 'name', 'Acme')
  await page.getByRole('button', { name: 'colour #1971c2' }).click()

  // Two products placed inside the lane belong to its market and wear the company's colour.
  for (const [name, x, y] of [
    ['Pay', 480, 215],
    ['Wallet', 860, 415],
  ] as const) {
    await placeShape(page, 'Product', x, y)
    await setField(page, 'name', name)
    await page.getByTestId('field-company').selectOption({ label: 'Acme' })
    await expect(product(page, name)).toHaveCSS('border-top-color', 'rgb(25, 113, 194)')
  }
  const drawn = await shapes(page)
  const lanes = Object.fromEntries(
    drawn.filter((s) => s.type === 'chainmap-market').map((s) => [s.props.name, s.id]),
  )
  const products = drawn.filter((s) => s.type === 'chainmap-product')
  expect(Object.fromEntries(products.map((p) => [p.props.name, p.props.market]))).toEqual({
    Pay: lanes.Payments,
    Wallet: lanes.Shopping,
  })

  // A chain link: press on one product, release on the other.
  const from = await product(page, 'Pay').boundingBox()
  const to = await product(page, 'Wallet').boundingBox()
  if (!from || !to) throw new Error('products not drawn')
  await toolButton(page, 'Chain link').click()
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 })
  await page.mouse.up()
  await expect(page.getByTestId('chain-link')).toHaveCount(1)
  await expect(page.getByTestId('field-lockIn')).toBeVisible()
  // The inspector edits chain-map shapes; tldraw's style panel stays out of its way.
  await expect(page.locator('.tlui-style-panel')).toHaveCount(0)
  const link = (await shapes(page)).find((s) => s.type === 'chainmap-link')
  const ids = Object.fromEntries(products.map((p) => [p.props.name, p.id]))
  expect(link?.props).toMatchObject({ from: ids.Pay, to: ids.Wallet })

  // The drawn chain is simulated: both products and the link show numbers.
  await expect(product(page, 'Pay')).toHaveAttribute('data-users', /^[1-9]\d*$/)
  await expect(product(page, 'Wallet')).toHaveAttribute('data-users', /\d/)
  await expect(page.getByTestId('link-label')).toContainText(/flow [\d.]+[kMB]?\/d/)
  await page.screenshot({ path: 'artifacts/drawn-chain.png' })
})

test('the settings panel changes the shared settings; an invalid value shows the sim message and is not shared', async ({
  page,
  browser,
}) => {
  const board = await openNewBoard(page, 'Ecosystem vs. single-product giant')
  const other = await secondBrowser(browser, board.editUrl)
  await expect(other.page.getByTestId('timeline-day')).toHaveText('day 365')

  await page.getByTestId('settings-toggle').click()
  await setField(page, 'setting-horizonDays', '200')
  await expect(page.getByTestId('timeline-day')).toHaveText('day 200')
  await expect(other.page.getByTestId('timeline-day')).toHaveText('day 200')

  await setField(page, 'setting-population', '-5')
  await expect(page.getByTestId('problem-setting-population')).toContainText('population')
  await page.screenshot({ path: 'artifacts/settings-invalid.png' })
  await other.page.getByTestId('settings-toggle').click()
  await expect(other.page.getByTestId('field-setting-population')).not.toHaveValue('-5')
  await expect(other.page.getByTestId('field-setting-horizonDays')).toHaveValue('200')
  await other.context.close()
})
