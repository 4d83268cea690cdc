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

/** What a newer app writes into a board's meta, and what this app says of it. */
const newerWrites = [
  {
    what: 'a board format',
    banner: 'board format 999, newer than this app',
    write: () => {
      ;(window as unknown as DocWindow).chainmap.session.connection.doc
        .getMap('meta')
        .set('formatVersion', 999)
    },
  },
  {
    what: 'a shape type',
    banner: 'which this app does not know',
    write: () => {
      const meta = (window as unknown as DocWindow).chainmap.session.connection.doc.getMap('meta')
      const schema = meta.get('schema') as { schemaVersion: number; sequences: object }
      meta.set('schema', {
        ...schema,
        sequences: { ...schema.sequences, 'com.tldraw.shape.chainmap-future': 0 },
      })
    },
  },
]

for (const { what, banner, write } of newerWrites) {
  test(`${what} this chainmap does not know is refused by the sync server; the writer is told, everyone else keeps editing`, async ({
    page,
    browser,
  }) => {
    const board = await newBoardWithProduct(page, 'Pay')
    const other = await secondBrowser(browser, board.editUrl)
    await expect(product(other.page, 'Pay')).toBeVisible()

    // What a newer app (or a vandal) writes: this app goes read-only and says why; the sync
    // server refuses it before it is stored or relayed.
    await page.evaluate(write)
    await expect(page.getByTestId('read-only')).toContainText(banner)
    await expect(toolButton(page, 'Product')).toHaveCount(0)
    await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'refused')
    await expect(page.getByTestId('connection')).toContainText('board format refused')
    await page.screenshot({ path: `artifacts/newer-${what.replace(/ /g, '-')}-refused.png` })

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
}
