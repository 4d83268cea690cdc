import { expect, test } from '@playwright/test'
import { newBoardWithProduct, product, secondBrowser, toolButton } from '../support/board.js'

type DocWindow = Window & {
  chainmap: {
    session: {
      connection: { doc: { getMap(name: string): { set(key: string, value: unknown): void } } }
    }
  }
}

test('a board written by a newer chainmap is read-only here, and says why', async ({
  page,
  browser,
}) => {
  const board = await newBoardWithProduct(page, 'Pay')
  const other = await secondBrowser(browser, board.editUrl)
  await expect(product(other.page, 'Pay')).toBeVisible()

  // A newer app (here: a raw write of its board format version) takes the board over.
  await page.evaluate(() => {
    ;(window as unknown as DocWindow).chainmap.session.connection.doc
      .getMap('meta')
      .set('formatVersion', 999)
  })
  for (const p of [other.page, page]) {
    await expect(p.getByTestId('read-only')).toContainText('newer than this app')
    await expect(toolButton(p, 'Product')).toHaveCount(0)
  }
  // Nothing can be changed, and a reload stays read-only.
  await product(other.page, 'Pay').click()
  await expect(other.page.getByTestId('field-name')).toBeDisabled()
  await other.page.keyboard.press('Delete')
  await expect(product(other.page, 'Pay')).toBeVisible()
  await other.page.reload()
  await expect(other.page.getByTestId('read-only')).toContainText('newer than this app', {
    timeout: 30_000,
  })
  await expect(product(page, 'Pay')).toBeVisible()
  await other.page.screenshot({ path: 'artifacts/newer-schema-read-only.png' })
  await other.context.close()
})
