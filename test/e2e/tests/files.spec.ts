import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { bigModel } from '../bench/bigModel.js'
import { openNewBoard, product } from '../support/board.js'

const scenario = readFileSync(
  new URL('../../../packages/sim/scenarios/giant-builds-a-chain.json', import.meta.url),
)
const model = JSON.parse(scenario.toString()) as {
  markets: Array<{ id: string }>
  horizonDays: number
  products: Array<{ id: string; name: string }>
  links: Array<{ from: string; to: string; lockIn: number }>
}

type ChainmapWindow = Window & {
  chainmap: {
    editor: {
      getCurrentPageShapes(): Array<{ id: string; type: string; props: Record<string, unknown> }>
      getShapePageBounds(id: string): { x: number; y: number; w: number; h: number } | undefined
      setCamera(camera: { x: number; y: number; z: number }): void
      zoomToFit(): void
    }
  }
}

test('import a model JSON into lanes, then export the model, the results and the canvas', async ({
  page,
}) => {
  await openNewBoard(page)
  await page.getByTestId('import-input').setInputFiles({
    name: 'giant-builds-a-chain.json',
    mimeType: 'application/json',
    buffer: scenario,
  })
  await expect(page.getByTestId('file-message')).toContainText('Imported')
  await expect(page.getByTestId('product-shape')).toHaveCount(model.products.length)
  await expect(product(page, model.products[0]!.name)).toHaveAttribute('data-users', /\d/)
  // Laid out in lanes: every product sits inside its own market's lane, and lanes do not overlap.
  const lanes = await page.evaluate(() => {
    const { editor } = (window as unknown as ChainmapWindow).chainmap
    const box = (id: string) => {
      const b = editor.getShapePageBounds(id)
      if (!b) throw new Error(`no bounds for ${id}`)
      return { x: b.x, y: b.y, w: b.w, h: b.h }
    }
    const shapes = editor.getCurrentPageShapes()
    return {
      markets: shapes.filter((s) => s.type === 'chainmap-market').map((s) => box(s.id)),
      products: shapes
        .filter((s) => s.type === 'chainmap-product')
        .map((s) => ({ box: box(s.id), lane: box(String(s.props.market)) })),
    }
  })
  expect(lanes.markets).toHaveLength(model.markets.length)
  for (const { box, lane } of lanes.products) {
    expect(box.x).toBeGreaterThanOrEqual(lane.x)
    expect(box.y).toBeGreaterThanOrEqual(lane.y)
    expect(box.x + box.w).toBeLessThanOrEqual(lane.x + lane.w)
    expect(box.y + box.h).toBeLessThanOrEqual(lane.y + lane.h)
  }
  const rows = [...lanes.markets].sort((a, b) => a.y - b.y)
  for (let i = 1; i < rows.length; i++) {
    expect(rows[i]!.y).toBeGreaterThanOrEqual(rows[i - 1]!.y + rows[i - 1]!.h)
  }
  await page.screenshot({ path: 'artifacts/imported-model.png' })

  const save = async (button: string) => {
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: button }).click()
    const file = await download
    return readFileSync((await file.path()) ?? '')
  }
  const exported = JSON.parse((await save('Export model JSON')).toString()) as typeof model
  expect(exported.products.map((p) => p.id).sort()).toEqual(model.products.map((p) => p.id).sort())
  expect(exported.links.map((l) => `${l.from}->${l.to}:${l.lockIn}`).sort()).toEqual(
    model.links.map((l) => `${l.from}->${l.to}:${l.lockIn}`).sort(),
  )

  const csv = (await save('Export results CSV')).toString().trimEnd().split('\n')
  expect(csv).toHaveLength(model.horizonDays + 2)
  expect(csv[0]).toContain(`${model.products[0]!.name} users`)

  const png = await save('Export PNG')
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  const svg = (await save('Export SVG')).toString()
  expect(svg).toContain('<svg')
  // The export draws every card with the numbers of the day shown, on screen or not: zoomed in
  // on one corner, most cards are culled and skip their per-frame updates when scrubbed.
  await page.evaluate(() => {
    ;(window as unknown as ChainmapWindow).chainmap.editor.setCamera({ x: 0, y: 0, z: 4 })
  })
  await page.getByTestId('timeline-scrub').fill('100')
  const zoomedSvg = (await save('Export SVG')).toString()
  const exported100 = [
    ...zoomedSvg.matchAll(/data-testid="product-users"[^>]*>([\d.]+[kMB]?)</g),
  ].map((m) => m[1])
  await page.evaluate(() => {
    ;(window as unknown as ChainmapWindow).chainmap.editor.zoomToFit()
  })
  const shown100 = await page.getByTestId('product-users').allTextContents()
  expect(exported100.sort()).toEqual(shown100.sort())
  expect(svg).toMatch(/stroke-width="[\d.]+"/)
})

test('a bad model file is refused with the sim message naming the field', async ({ page }) => {
  await openNewBoard(page)
  const bad = JSON.parse(scenario.toString()) as { markets: Array<{ p: number }> }
  bad.markets[0]!.p = -1
  await page.getByTestId('import-input').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  })
  await expect(page.getByTestId('file-message')).toContainText('markets[0].p must be >= 0')
  await expect(page.getByTestId('product-shape')).toHaveCount(0)
})

test('an agents run shows progress, then p10/p90 bands on the sparklines', async ({ page }) => {
  await openNewBoard(page, 'Ecosystem vs. single-product giant')
  await expect(product(page, 'Global Purchases')).toHaveAttribute('data-users', /\d/)
  await expect(product(page, 'Global Purchases').locator('polygon')).toHaveCount(0)
  // Record every progress label the button shows while the run goes (it may be quick).
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { agentsProgress: string[] }).agentsProgress = seen
    new MutationObserver(() => {
      const label = document.querySelector('[data-testid="agents-cancel"]')?.textContent
      if (label && seen.at(-1) !== label) seen.push(label)
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
  await page.getByTestId('agents-run').click()
  await expect(page.getByTestId('agents-run')).toHaveText(/Agents ✓/, { timeout: 120_000 })
  const progress = await page.evaluate(
    () => (window as unknown as { agentsProgress: string[] }).agentsProgress,
  )
  expect(progress[0]).toMatch(/^Agents \d+% — stop$/)
  expect(progress.some((label) => /^Agents [1-9]\d*% — stop$/.test(label))).toBe(true)
  await expect(product(page, 'Global Purchases').locator('polygon')).toHaveCount(1)
  await page.screenshot({ path: 'artifacts/agents-bands.png' })
})

test('an imported model whose companies have no colour gets the palette, and products wear it', async ({
  page,
}) => {
  await openNewBoard(page)
  await page.getByTestId('import-input').setInputFiles({
    name: 'plain.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bigModel(2, 2, 2))),
  })
  await expect(page.getByTestId('product-shape')).toHaveCount(4)
  for (const [name, rgb, hex] of [
    ['P 0.0', 'rgb(232, 89, 12)', '#e8590c'],
    ['P 1.1', 'rgb(25, 113, 194)', '#1971c2'],
  ] as const) {
    await expect(product(page, name)).toHaveCSS('border-top-color', rgb)
    await expect(product(page, name).locator('polyline')).toHaveAttribute('stroke', hex)
  }
})
