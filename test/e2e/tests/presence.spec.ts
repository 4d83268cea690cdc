import { expect, test } from '@playwright/test'
import { openNewBoard, placeShape, secondBrowser } from '../support/board.js'

type ChainmapWindow = Window & {
  chainmap: {
    editor: {
      getViewportPageBounds(): { center: { x: number; y: number } }
      getSelectedShapeIds(): string[]
      getCollaborators(): Array<{ userName: string; color: string; selectedShapeIds: string[] }>
    }
  }
}

test("collaborators see each other's cursor, name, colour and selection, and can follow a viewport", async ({
  page,
  browser,
}) => {
  const board = await openNewBoard(page)
  await placeShape(page, 'Product', 500, 400)
  const me = await page.evaluate(
    () =>
      JSON.parse(localStorage.getItem('chainmap:user') ?? '{}') as { name: string; color: string },
  )
  const name = me.name
  const selected = await page.evaluate(() =>
    (window as unknown as ChainmapWindow).chainmap.editor.getSelectedShapeIds(),
  )
  expect(selected).toHaveLength(1)
  const other = await secondBrowser(browser, board.editUrl)

  for (let i = 0; i < 10; i++) await page.mouse.move(300 + i * 20, 300 + i * 10)
  await expect(other.page.locator('.tl-collaborator__cursor').first()).toBeVisible()
  await other.page.locator('.tlui-people-menu__avatars-button').click()
  await expect(other.page.locator('.tlui-people-menu__name', { hasText: name })).toBeVisible()
  // The cursor wears the collaborator's colour, and their selection is known here.
  await expect(other.page.locator('.tl-collaborators__item use').first()).toHaveAttribute(
    'color',
    me.color,
  )
  await expect
    .poll(() =>
      other.page.evaluate(() =>
        (window as unknown as ChainmapWindow).chainmap.editor
          .getCollaborators()
          .map((c) => ({ name: c.userName, color: c.color, selected: c.selectedShapeIds })),
      ),
    )
    .toEqual([{ name, color: me.color, selected }])
  await other.page.screenshot({ path: 'artifacts/presence.png' })

  await other.page.locator('.tlui-people-menu__item__follow').first().click()
  await expect(other.page.locator('.tlui-following-indicator')).toBeVisible()
  // The leader pans far away; the follower's viewport follows it there.
  const center = (p: typeof page) =>
    p.evaluate(
      () => (window as unknown as ChainmapWindow).chainmap.editor.getViewportPageBounds().center,
    )
  const start = await center(page)
  await page.mouse.move(600, 400)
  for (let i = 0; i < 10; i++) await page.mouse.wheel(400, 300)
  await expect
    .poll(async () => {
      const leader = await center(page)
      return Math.hypot(leader.x - start.x, leader.y - start.y)
    })
    .toBeGreaterThan(2000)
  await expect
    .poll(async () => {
      // Read both each time: the last wheel steps may still be landing on the leader's side.
      const [leader, follower] = [await center(page), await center(other.page)]
      return Math.hypot(follower.x - leader.x, follower.y - leader.y)
    })
    .toBeLessThan(20)
  await other.context.close()
})
