import { expect, test } from '@playwright/test'
import {
  newBoardWithProduct,
  openBoard,
  openNewBoard,
  placeShape,
  product,
  productNumbers,
  secondBrowser,
  selectFirstLink,
  setField,
} from '../support/board.js'
import { controlSyncNetwork } from '../support/network.js'

test('a lock-in changed in one browser changes the numbers shown in both', async ({
  page,
  browser,
}) => {
  const board = await openNewBoard(page, 'Ecosystem vs. single-product giant')
  const other = await secondBrowser(browser, board.editUrl)
  await expect(product(page, 'Global Purchases')).toHaveAttribute('data-users', /\d/)
  await expect(product(other.page, 'Global Purchases')).toHaveAttribute('data-users', /\d/)
  const before = await productNumbers(page)
  expect(await productNumbers(other.page)).toEqual(before)

  await selectFirstLink(page)
  const lockIn = page.getByTestId('field-lockIn')
  const next = (await lockIn.inputValue()) === '0.95' ? '0.05' : '0.95'
  await setField(page, 'lockIn', next)

  await expect.poll(() => productNumbers(page)).not.toEqual(before)
  await expect.poll(() => productNumbers(other.page)).not.toEqual(before)
  // Same shared model, deterministic engine: both browsers show the same new numbers.
  await expect.poll(() => productNumbers(other.page)).toEqual(await productNumbers(page))
  await other.page.screenshot({ path: 'artifacts/lock-in-changed-other-browser.png' })
  await other.context.close()
})

test('an invalid value shows the sim message and never reaches the other browser', async ({
  page,
  browser,
}) => {
  const board = await openNewBoard(page)
  const other = await secondBrowser(browser, board.editUrl)
  await placeShape(page, 'Product', 500, 400)
  await setField(page, 'churn', '0.02')
  await expect(product(other.page, 'Product')).toBeVisible()

  await setField(page, 'churn', '-1')
  await expect(page.getByTestId('problem-churn')).toContainText('churn must be >= 0')
  await product(other.page, 'Product').click()
  await expect(other.page.getByTestId('field-churn')).toHaveValue('0.02')
  await page.screenshot({ path: 'artifacts/inspector-invalid-value.png' })
  await other.context.close()
})

test('concurrent edits of different properties of one product both survive, and an offline edit merges on reconnect', async ({
  page,
  browser,
}) => {
  const board = await newBoardWithProduct(page, 'Pay')

  const other = await secondBrowser(browser)
  const network = await controlSyncNetwork(other.page)
  await openBoard(other.page, board.editUrl)
  await product(other.page, 'Pay').click()
  await expect(other.page.getByTestId('field-appeal')).toBeVisible()

  await network.goOffline()
  await expect(other.page.getByTestId('connection')).toHaveAttribute('data-status', 'offline')
  // While the second browser is offline both people edit the same product, different props.
  await setField(other.page, 'appeal', '3')
  await setField(page, 'churn', '0.05')
  await expect(other.page.getByTestId('field-churn')).not.toHaveValue('0.05')
  await other.page.screenshot({ path: 'artifacts/offline-edit.png' })

  network.goOnline()
  await expect(other.page.getByTestId('connection')).toHaveAttribute('data-status', 'online', {
    timeout: 15_000,
  })
  await expect(other.page.getByTestId('field-churn')).toHaveValue('0.05')
  await expect(other.page.getByTestId('field-appeal')).toHaveValue('3')
  await product(page, 'Pay').click()
  await expect(page.getByTestId('field-appeal')).toHaveValue('3')
  await expect(page.getByTestId('field-churn')).toHaveValue('0.05')
  await other.context.close()
})

test("a field focused and left without typing keeps a collaborator's newer value", async ({
  page,
  browser,
}) => {
  const board = await newBoardWithProduct(page, 'Pay')
  await setField(page, 'churn', '0.02')
  const other = await secondBrowser(browser, board.editUrl)
  await product(other.page, 'Pay').click()
  const otherChurn = other.page.getByTestId('field-churn')
  const otherName = other.page.getByTestId('field-name')
  await expect(otherChurn).toHaveValue('0.02')

  // The second person clicks into both fields and types nothing, while the first edits them.
  await otherChurn.focus()
  await setField(page, 'churn', '0.07')
  await expect(otherChurn).toHaveValue('0.07')
  await otherName.focus()
  await setField(page, 'name', 'Pay Plus')
  await expect(otherName).toHaveValue('Pay Plus')
  await otherName.blur()

  // An edit made after leaving the fields: once it arrives, anything written on blur has too.
  await setField(other.page, 'appeal', '3')
  await expect(page.getByTestId('field-appeal')).toHaveValue('3')
  await expect(page.getByTestId('field-churn')).toHaveValue('0.07')
  await expect(page.getByTestId('field-name')).toHaveValue('Pay Plus')
  await expect(otherChurn).toHaveValue('0.07')
  await other.context.close()
})

test("undo and redo replay only your own change, never a collaborator's", async ({
  page,
  browser,
}) => {
  const board = await newBoardWithProduct(page, 'Music')
  const other = await secondBrowser(browser, board.editUrl)
  await product(other.page, 'Music').click()

  await setField(other.page, 'churn', '0.05')
  await expect(page.getByTestId('field-churn')).toHaveValue('0.05')
  await page.waitForTimeout(600) // let the undo manager close its previous capture window
  await setField(page, 'appeal', '3')
  await expect(other.page.getByTestId('field-appeal')).toHaveValue('3')

  await page.mouse.click(900, 150)
  await page.keyboard.press('Control+z')
  await expect(other.page.getByTestId('field-appeal')).toHaveValue('1')
  await expect(other.page.getByTestId('field-churn')).toHaveValue('0.05')
  await product(page, 'Music').click()
  await expect(page.getByTestId('field-appeal')).toHaveValue('1')
  await expect(page.getByTestId('field-churn')).toHaveValue('0.05')

  // Redo brings back your own change, still leaving the collaborator's alone.
  await page.mouse.click(900, 150)
  await page.keyboard.press('Control+Shift+z')
  await expect(other.page.getByTestId('field-appeal')).toHaveValue('3')
  await expect(other.page.getByTestId('field-churn')).toHaveValue('0.05')
  await other.context.close()
})
