import { expect, test } from '@playwright/test'
import {
  newBoardWithProduct,
  openBoard,
  openNewBoard,
  placeShape,
  secondBrowser,
  setField,
  toolButton,
} from '../support/board.js'

test('a product drawn in one browser appears in the other', async ({ page, browser }) => {
  const board = await openNewBoard(page)
  const other = await secondBrowser(browser, board.editUrl)

  await placeShape(page, 'Product', 500, 400)
  await expect(page.getByTestId('product-shape')).toHaveCount(1)
  await setField(page, 'name', 'Music')

  await expect(other.page.getByTestId('product-shape')).toHaveCount(1)
  await expect(other.page.locator('[data-testid="product-shape"][data-name="Music"]')).toBeVisible()
  await page.screenshot({ path: 'artifacts/two-browsers-a.png' })
  await other.page.screenshot({ path: 'artifacts/two-browsers-b.png' })
  await other.context.close()
})

test('a reload shows the board as it was', async ({ page }) => {
  const board = await openNewBoard(page)
  await placeShape(page, 'Company', 300, 300)
  await setField(page, 'name', 'Giant')
  await expect(page.locator('[data-testid="company-shape"][data-name="Giant"]')).toBeVisible()
  await page.reload()
  await openBoard(page, board.editUrl)
  await expect(page.locator('[data-testid="company-shape"][data-name="Giant"]')).toBeVisible()
})

test('a view-only link cannot change anything', async ({ page, browser }) => {
  const board = await newBoardWithProduct(page, 'Shop')

  const viewer = await secondBrowser(browser, board.viewUrl)
  await expect(viewer.page.getByTestId('read-only')).toBeVisible()
  const product = viewer.page.locator('[data-testid="product-shape"][data-name="Shop"]')
  await expect(product).toBeVisible()
  await expect(toolButton(viewer.page, 'Product')).toHaveCount(0)
  // Select it, try the inspector and the Delete key: nothing may change, here or for the editor.
  await product.click()
  await expect(viewer.page.getByTestId('field-name')).toBeDisabled()
  await viewer.page.keyboard.press('Delete')
  await expect(product).toBeVisible()
  await viewer.page.screenshot({ path: 'artifacts/view-only.png' })
  await viewer.context.close()
  await expect(page.locator('[data-testid="product-shape"][data-name="Shop"]')).toBeVisible()
})
