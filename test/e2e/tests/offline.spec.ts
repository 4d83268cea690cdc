import { expect, test } from '@playwright/test'
import {
  newBoardWithProduct,
  openBoard,
  product,
  secondBrowser,
  setField,
} from '../support/board.js'
import { controlSyncNetwork } from '../support/network.js'

test('a board reopened offline comes from the IndexedDB cache, and its offline edit merges on reconnect', async ({
  page,
  browser,
}) => {
  const board = await newBoardWithProduct(page, 'Pay')

  const other = await secondBrowser(browser)
  const network = await controlSyncNetwork(other.page)
  await openBoard(other.page, board.editUrl)
  await expect(product(other.page, 'Pay')).toBeVisible()

  // Offline, the second browser reloads: the board comes back from its local cache.
  await network.goOffline()
  await other.page.reload()
  await expect(other.page.locator('.tl-canvas')).toBeVisible({ timeout: 30_000 })
  await expect(other.page.getByTestId('connection')).toHaveAttribute('data-status', 'offline')
  await expect(product(other.page, 'Pay')).toBeVisible()

  // Both edit the product while apart (different properties)…
  await product(other.page, 'Pay').click()
  await setField(other.page, 'appeal', '3')
  await setField(page, 'churn', '0.05')
  await other.page.screenshot({ path: 'artifacts/offline-reopened.png' })
  // …and a second offline reload keeps the offline edit (it is in the cache, not only in memory).
  await other.page.reload()
  await expect(product(other.page, 'Pay')).toBeVisible({ timeout: 30_000 })
  await product(other.page, 'Pay').click()
  await expect(other.page.getByTestId('field-appeal')).toHaveValue('3')
  await expect(other.page.getByTestId('field-churn')).not.toHaveValue('0.05')

  network.goOnline()
  await expect(other.page.getByTestId('connection')).toHaveAttribute('data-status', 'online', {
    timeout: 15_000,
  })
  await expect(other.page.getByTestId('field-churn')).toHaveValue('0.05')
  await expect(other.page.getByTestId('field-appeal')).toHaveValue('3')
  await expect(page.getByTestId('field-appeal')).toHaveValue('3')
  await expect(page.getByTestId('field-churn')).toHaveValue('0.05')
  await other.context.close()
})
