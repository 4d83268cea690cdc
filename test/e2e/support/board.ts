import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test'

/** The edit and view links the home page minted for a new board. */
export interface NewBoard {
  room: string
  editUrl: string
  viewUrl: string
}

/** Creates a blank (or template) board from the home page, as a user does, and returns its links. */
export async function createBoardFromHome(page: Page, template?: string): Promise<NewBoard> {
  await page.goto('/')
  await page.getByRole('button', { name: template ?? 'Blank board' }).click()
  await page.waitForURL(/\/b\/[^/?]+/)
  await waitForBoard(page)
  if (template) await expect(page.getByTestId('product-shape').first()).toBeVisible()
  await page.goto('/')
  const item = page.getByTestId('recent-boards').locator('li').first()
  const editUrl = await item.getByRole('link', { name: 'edit link' }).getAttribute('href')
  const viewUrl = await item.getByRole('link', { name: 'view-only link' }).getAttribute('href')
  const room = decodeURIComponent(new URL(editUrl ?? '', 'http://x').pathname.split('/')[2] ?? '')
  if (!editUrl || !viewUrl || !room) throw new Error('the home page did not list the new board')
  return { room, editUrl, viewUrl }
}

/** Waits until the canvas is mounted and live with the sync server. */
export async function waitForBoard(page: Page): Promise<void> {
  await expect(page.locator('.tl-canvas')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online', {
    timeout: 15_000,
  })
}

/** Opens a board link in a page and waits until it is live. */
export async function openBoard(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await waitForBoard(page)
}

/**
 * A second, separate browser (its own storage, user and connection), with the board at `url`
 * open and live when one is given.
 */
export async function secondBrowser(
  browser: Browser,
  url?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  if (url !== undefined) await openBoard(page, url)
  return { context, page }
}

/** The toolbar button of a tool, by its label ("Product", "Chain link"…). */
export function toolButton(page: Page, label: string) {
  return page
    .getByRole('toolbar', { name: 'Tools' })
    .getByRole('button', { name: new RegExp(`^${label} —`) })
}

/** Picks a chain-map tool from the toolbar and clicks the canvas at (x, y) to place a shape. */
export async function placeShape(page: Page, label: string, x: number, y: number): Promise<void> {
  await toolButton(page, label).click()
  await page.mouse.click(x, y)
}

/** The product card named `name`. */
export function product(page: Page, name: string) {
  return page.locator(`[data-testid="product-shape"][data-name="${name}"]`)
}

/** Every product's users at the playhead, by name, as the cards show them (for comparing). */
export async function productNumbers(page: Page): Promise<Record<string, string>> {
  return await page
    .getByTestId('product-shape')
    .evaluateAll((cards) =>
      Object.fromEntries(
        cards.map((card) => [card.getAttribute('data-name'), card.getAttribute('data-users')]),
      ),
    )
}

/** Clicks the middle of the first chain link's line, selecting it. */
export async function selectFirstLink(page: Page): Promise<void> {
  const line = page.getByTestId('chain-link').first().locator('line')
  const box = await line.boundingBox()
  if (!box) throw new Error('no chain link on the canvas')
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  await expect(page.getByTestId('field-lockIn')).toBeVisible()
}

/** Types a value into an inspector field and commits it with Enter. */
export async function setField(page: Page, field: string, value: string): Promise<void> {
  const input = page.getByTestId(`field-${field}`)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
}

/**
 * Creates a board from the home page (blank, or from `template`) and opens its edit link.
 *
 * @returns the new board's links
 */
export async function openNewBoard(page: Page, template?: string): Promise<NewBoard> {
  const board = await createBoardFromHome(page, template)
  await openBoard(page, board.editUrl)
  return board
}

/**
 * Opens a new blank board and draws one product named `name` on it (left selected).
 *
 * @returns the new board's links
 */
export async function newBoardWithProduct(page: Page, name: string): Promise<NewBoard> {
  const board = await openNewBoard(page)
  await placeShape(page, 'Product', 500, 400)
  await setField(page, 'name', name)
  return board
}
