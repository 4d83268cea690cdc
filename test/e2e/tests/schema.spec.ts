import { expect, test } from '@playwright/test'
import { newBoardWithProduct, product, secondBrowser, toolButton } from '../support/board.js'

type DocWindow = Window & {
  chainmap: {
    session: {
      connection: {
        doc: {
          getMap(name: string): {
            get(key: string): unknown
            set(key: string, value: unknown): void
          }
        }
      }
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

  // A newer app with a shape type this one does not know writes its schema. (The sync server lets
  // record types it does not know through: the web app has shapes of its own it cannot know.)
  await page.evaluate(() => {
    const meta = (window as unknown as DocWindow).chainmap.session.connection.doc.getMap('meta')
    const schema = meta.get('schema') as { schemaVersion: number; sequences: object }
    meta.set('schema', {
      ...schema,
      sequences: { ...schema.sequences, 'com.tldraw.shape.chainmap-future': 0 },
    })
  })
  for (const p of [other.page, page]) {
    await expect(p.getByTestId('read-only')).toContainText('which this app does not know')
    await expect(toolButton(p, 'Product')).toHaveCount(0)
  }
  // Nothing can be changed, and a reload stays read-only.
  await product(other.page, 'Pay').click()
  await expect(other.page.getByTestId('field-name')).toBeDisabled()
  await other.page.keyboard.press('Delete')
  await expect(product(other.page, 'Pay')).toBeVisible()
  await other.page.reload()
  await expect(other.page.getByTestId('read-only')).toContainText('which this app does not know', {
    timeout: 30_000,
  })
  await expect(product(page, 'Pay')).toBeVisible()
  await other.page.screenshot({ path: 'artifacts/newer-schema-read-only.png' })
  await other.context.close()
})

test('a board format the sync server does not know is refused, and the board stays editable for everyone else', async ({
  page,
  browser,
}) => {
  const board = await newBoardWithProduct(page, 'Pay')
  const other = await secondBrowser(browser, board.editUrl)
  await expect(product(other.page, 'Pay')).toBeVisible()

  // What a vandal (or a newer app against this older server) writes: refused before it is stored.
  await page.evaluate(() => {
    ;(window as unknown as DocWindow).chainmap.session.connection.doc
      .getMap('meta')
      .set('formatVersion', 999)
  })
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'refused')
  await expect(page.getByTestId('connection')).toContainText('board format refused')
  await page.screenshot({ path: 'artifacts/board-format-refused.png' })

  // The other browser never went read-only, and after a reload it still edits.
  await other.page.reload()
  await expect(other.page.getByTestId('connection')).toHaveAttribute('data-status', 'online', {
    timeout: 15_000,
  })
  await expect(product(other.page, 'Pay')).toBeVisible()
  await expect(other.page.getByTestId('read-only')).toHaveCount(0)
  await expect(toolButton(other.page, 'Product')).toHaveCount(1)
  await other.context.close()
})
