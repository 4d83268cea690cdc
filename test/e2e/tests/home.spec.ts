import { expect, test } from '@playwright/test'
import { createBoardFromHome, openBoard, product } from '../support/board.js'

/** The claims of a board link's token (read, not verified: the servers verify). */
function claimsOf(link: string): { room?: string; role?: string } {
  const token = new URL(link, 'http://x').searchParams.get('token') ?? ''
  const payload = token.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
    room?: string
    role?: string
  }
}

test('the home page offers both story templates and lists recent boards with minted edit and view links', async ({
  page,
}) => {
  await page.goto('/')
  await expect(
    page.getByRole('button', { name: /Ecosystem vs\. single-product giant/ }),
  ).toBeVisible()
  await expect(page.getByRole('button', { name: /The giant builds a chain/ })).toBeVisible()

  const board = await createBoardFromHome(page, 'The giant builds a chain')
  const recent = page.getByTestId('recent-boards').locator('li').first()
  await expect(recent).toContainText('The giant builds a chain')
  await page.screenshot({ path: 'artifacts/home-recent.png' })
  // With auth on, each link carries a token minted by the server for this board and its role.
  expect(claimsOf(board.editUrl)).toMatchObject({ room: board.room, role: 'edit' })
  expect(claimsOf(board.viewUrl)).toMatchObject({ room: board.room, role: 'view' })

  // The template drew the sim scenario: the giant's own chain of products.
  await openBoard(page, board.editUrl)
  await expect(product(page, 'Chinese Baby')).toHaveAttribute('data-users', /\d/)
  await expect(page.getByTestId('chain-link').first()).toBeVisible()

  // A token for another board, or a forged one, is refused.
  const other = await createBoardFromHome(page)
  const foreign = new URL(board.editUrl, 'http://x').search
  await page.goto(`/b/${encodeURIComponent(other.room)}${foreign}`)
  await expect(page.getByTestId('refusal')).toBeVisible()
  const [head, , signature] = (
    new URL(board.viewUrl, 'http://x').searchParams.get('token') ?? ''
  ).split('.')
  const forged = Buffer.from(JSON.stringify({ ...claimsOf(board.viewUrl), role: 'edit' })).toString(
    'base64url',
  )
  await page.goto(`/b/${encodeURIComponent(board.room)}?token=${head}.${forged}.${signature}`)
  await expect(page.getByTestId('refusal')).toBeVisible()
})
