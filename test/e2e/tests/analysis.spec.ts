import { readFileSync } from 'node:fs'
import { expect, type Page, test } from '@playwright/test'
import {
  closeAnalysis,
  createScenario,
  openAnalysis,
  scenarioRow,
  setOverride,
  shareOf,
} from '../support/analysis.js'
import { openNewBoard, placeShape, product, secondBrowser } from '../support/board.js'

const STORY = 'Ecosystem vs. single-product giant'
const CHAIN_FUNNEL = 'links.ali-shopping->chinese-baby.funnel'
const CHAIN_LOCK_IN = 'links.ali-shopping->chinese-baby.lockIn'

/** Zooms the canvas to the selected shape (a chart just placed), for a readable screenshot. */
async function zoomToSelection(page: Page) {
  await page.evaluate(() => {
    const handle = (window as unknown as { chainmap: { editor: { zoomToSelection(): void } } })
      .chainmap
    handle.editor.zoomToSelection()
  })
  await page.waitForTimeout(300)
}

/** Opens a new story board and waits for its live numbers. */
async function storyBoard(page: Page) {
  const board = await openNewBoard(page, STORY)
  await expect(product(page, 'Global Purchases')).toHaveAttribute('data-share', /\d/, {
    timeout: 30_000,
  })
  return board
}

test('scenarios are shared on the board, the active one is per person, and compare side by side', async ({
  page,
  browser,
}) => {
  const board = await storyBoard(page)
  const drawnShare = await shareOf(page, 'Global Purchases')
  expect(drawnShare).toBeGreaterThan(0.6)

  await openAnalysis(page, 'scenarios')
  await createScenario(page, 'Giant builds a chain')
  // The giant funnels its shoppers into its purchasing app: a link not drawn on the board.
  await setOverride(page, CHAIN_FUNNEL, '0.05')
  await setOverride(page, CHAIN_LOCK_IN, '0.7')
  // An override the sim rejects is refused with the sim's message and not stored.
  await page.getByTestId('override-parameter').selectOption('products.chinese-baby.churn')
  await page.getByTestId('override-value').fill('-1')
  await page.getByTestId('override-add').click()
  await expect(page.getByTestId('override-problem')).toContainText('churn must be >= 0')
  await expect(page.getByTestId('scenario-override')).toHaveCount(2)

  // Picking it as the live scenario re-simulates this person's canvas with it applied.
  await scenarioRow(page, 'Giant builds a chain').getByTestId('scenario-active').check()
  await expect(page.getByTestId('active-scenario-badge')).toHaveAttribute(
    'data-active',
    'Giant builds a chain',
  )
  await expect
    .poll(() => shareOf(page, 'Global Purchases'), { timeout: 15_000 })
    .toBeLessThan(drawnShare - 0.15)

  // A collaborator sees the shared scenario, but their live output stays the board as drawn.
  const other = await secondBrowser(browser, board.editUrl)
  await openAnalysis(other.page, 'scenarios')
  await expect(scenarioRow(other.page, 'Giant builds a chain')).toContainText('2 overrides')
  await expect(other.page.getByTestId('active-scenario-badge')).toHaveAttribute('data-active', '')
  await expect
    .poll(() => shareOf(other.page, 'Global Purchases'), { timeout: 15_000 })
    .toBeCloseTo(drawnShare, 4)
  // Their rename reaches the first browser.
  await scenarioRow(other.page, 'Giant builds a chain').getByTestId('scenario-edit').click()
  await other.page.getByTestId('scenario-rename-input').fill('Chain')
  await other.page.getByTestId('scenario-rename').click()
  await expect(scenarioRow(page, 'Chain')).toBeVisible()
  await expect(page.getByTestId('active-scenario-badge')).toHaveAttribute('data-active', 'Chain')
  await other.context.close()

  // A scenario to delete.
  await createScenario(page, 'Throwaway')
  await page.getByTestId('scenario-delete').click()
  await expect(scenarioRow(page, 'Throwaway')).toHaveCount(0)

  // Compare the board as drawn with the chain: a table of outcomes at the horizon…
  await scenarioRow(page, 'Board as drawn').getByTestId('scenario-compare').check()
  await scenarioRow(page, 'Chain').getByTestId('scenario-compare').check()
  await page.getByTestId('compare-run').click()
  const table = page.getByTestId('comparison-table')
  await expect(table).toBeVisible({ timeout: 30_000 })
  const shareRow = table.locator(
    '[data-testid="comparison-row"][data-id="global-purchases"][data-measure="share"]',
  )
  const [drawn, chain] = ((await shareRow.getAttribute('data-values')) ?? '').split(' ').map(Number)
  expect(drawn).toBeCloseTo(drawnShare, 4)
  expect(chain).toBeLessThan(drawn! - 0.15)
  for (const measure of ['users', 'depth']) {
    await expect(
      table.locator(`[data-kind="company"][data-id="jiangyan"][data-measure="${measure}"]`),
    ).toHaveCount(1)
  }
  await expect(
    table.locator('[data-id="chinese-baby"][data-measure="expectedLifetime"]'),
  ).toHaveCount(1)
  await page.screenshot({ path: 'artifacts/analysis-compare-table.png' })
  // The ticked scenarios and the table survive a visit to another tab.
  await openAnalysis(page, 'sensitivity')
  await openAnalysis(page, 'scenarios')
  await expect(scenarioRow(page, 'Chain').getByTestId('scenario-compare')).toBeChecked()
  await expect(table).toBeVisible()

  // …and overlaid, dashed lines in chart shapes (2 products × 2 scenarios).
  await closeAnalysis(page)
  await placeShape(page, 'Chart', 120, 520)
  await page.getByTestId('chart-kind').selectOption('market-share')
  await page.getByTestId('chart-market').selectOption({ label: 'Cross-border purchasing' })
  const chart = page.getByTestId('chart-shape')
  await expect(chart).toHaveAttribute('data-compared', '4')
  await expect(chart.getByTestId('chart-compared-line')).toHaveCount(4)
  await zoomToSelection(page)
  await page.screenshot({ path: 'artifacts/analysis-compare-chart.png' })
})

test('sensitivity runs in a worker with progress and cancel, and shows a ten-bar tornado', async ({
  page,
}) => {
  await storyBoard(page)
  await openAnalysis(page, 'sensitivity')
  await page.getByTestId('sensitivity-outcome').selectOption('company-share:ali/purchasing')
  // Start, and cancel as soon as the Cancel button shows: the worker is stopped, no result comes.
  await page.evaluate(() => {
    const state = { clicked: false }
    ;(window as unknown as { cancelState: typeof state }).cancelState = state
    const observer = new MutationObserver(() => {
      const cancel = document.querySelector('[data-testid="sensitivity-cancel"]')
      if (!cancel) return
      observer.disconnect()
      ;(cancel as HTMLButtonElement).click()
      state.clicked = true
    })
    observer.observe(document.body, { subtree: true, childList: true })
  })
  await page.getByTestId('sensitivity-run').click()
  await expect
    .poll(() =>
      page.evaluate(
        () => (window as unknown as { cancelState: { clicked: boolean } }).cancelState.clicked,
      ),
    )
    .toBe(true)
  await expect(page.getByTestId('sensitivity-run')).toBeVisible()
  await page.waitForTimeout(1500)
  await expect(page.getByTestId('tornado')).toHaveCount(0)

  // Run to the end, recording the progress bar's values on the way.
  await page.evaluate(() => {
    const seen: number[] = []
    ;(window as unknown as { sensitivityProgress: number[] }).sensitivityProgress = seen
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="sensitivity-progress"]')
      if (bar) seen.push(Number((bar as HTMLProgressElement).value))
    }).observe(document.body, { subtree: true, childList: true, attributes: true })
  })
  await page.getByTestId('sensitivity-run').click()
  const tornado = page.getByTestId('tornado')
  await expect(tornado).toBeVisible({ timeout: 60_000 })
  await expect(tornado).toHaveAttribute('data-bars', '10')
  await expect(tornado.getByTestId('tornado-bar')).toHaveCount(10)
  const progress = await page.evaluate(
    () => (window as unknown as { sensitivityProgress: number[] }).sensitivityProgress,
  )
  expect(progress.length).toBeGreaterThan(0)
  const timing = page.getByTestId('sensitivity-timing')
  await expect(timing).toContainText('simulations in')
  console.log(`sensitivity on the canvas: ${await timing.textContent()}`)
  // The purchasing market's own parameters are among the strongest drivers of a share in it.
  const drivers = await tornado
    .getByTestId('tornado-bar')
    .evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-parameter')))
  expect(drivers.some((d) => d?.includes('purchas') || d?.includes('chinese-baby'))).toBe(true)
  await page.screenshot({ path: 'artifacts/analysis-tornado.png' })
})

test('an agents run draws p10/p50/p90 bands on chart shapes and product sparklines', async ({
  page,
}) => {
  await storyBoard(page)
  await placeShape(page, 'Chart', 120, 520)
  const chart = page.getByTestId('chart-shape')
  await expect(chart).toHaveAttribute('data-lines', '2')
  await expect(chart).toHaveAttribute('data-bands', '0')
  await page.getByTestId('agents-run').click()
  await expect(page.getByTestId('agents-run')).toHaveText(/Agents ✓/, { timeout: 120_000 })
  await expect(chart).toHaveAttribute('data-bands', '2')
  await expect(chart.getByTestId('chart-p50')).toHaveCount(2)
  await expect(product(page, 'Global Purchases').getByTestId('sparkline-p50')).toHaveCount(1)
  await page.screenshot({ path: 'artifacts/analysis-monte-carlo.png' })
  await zoomToSelection(page)
  await page.screenshot({ path: 'artifacts/analysis-monte-carlo-chart.png' })
})

test('goal seek finds the funnel the giant needs for 40% of purchasing, saved as a scenario', async ({
  page,
}) => {
  await storyBoard(page)
  await openAnalysis(page, 'goalseek')
  await page.getByTestId('goalseek-parameter').selectOption(CHAIN_FUNNEL)
  await page.getByTestId('goalseek-outcome').selectOption('company-share:ali/purchasing')
  await page.getByTestId('goalseek-target').fill('0.4')
  await page.getByTestId('goalseek-run').click()
  const result = page.getByTestId('goalseek-result')
  await expect(result).toBeVisible({ timeout: 60_000 })
  const value = Number(await result.getAttribute('data-value'))
  const reached = Number(await result.getAttribute('data-outcome'))
  expect(value).toBeGreaterThan(0)
  expect(reached).toBeGreaterThanOrEqual(0.4)
  expect(reached).toBeLessThan(0.41)
  await page.getByTestId('goalseek-save').click()
  await expect(page.getByTestId('goalseek-saved')).toBeVisible()
  await page.screenshot({ path: 'artifacts/analysis-goal-seek.png' })

  // The answer is a scenario on the board; simulating it gives the giant its 40%.
  await openAnalysis(page, 'scenarios')
  const row = page.locator('[data-testid="scenario-row"][data-name^="Goal:"]')
  await expect(row).toContainText('1 override')
  await row.getByTestId('scenario-active').check()
  await expect
    .poll(() => shareOf(page, 'Chinese Baby'), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(0.399)
})

test('calibration fits p and q to uploaded observations, shows RMSE and R², and applies as a scenario', async ({
  page,
}) => {
  await storyBoard(page)
  await openAnalysis(page, 'calibrate')
  await page.getByTestId('fit-product').selectOption('chinese-baby')
  // The fixture was simulated from the story with purchasing p = 0.004, q = 0.05 (the board
  // has 0.002 and 0.03): the fit must find those again.
  await page.getByTestId('fit-file').setInputFiles('fixtures/observed-chinese-baby.csv')
  await expect(page.getByTestId('fit-csv')).toHaveValue(/^# chinese-baby/)
  await page.getByTestId('fit-run').click()
  await expect(page.getByTestId('fit-result')).toBeVisible({ timeout: 60_000 })
  const p = Number(await page.getByTestId('fit-value-p').getAttribute('data-value'))
  const q = Number(await page.getByTestId('fit-value-q').getAttribute('data-value'))
  expect(p).toBeGreaterThan(0.004 * 0.9)
  expect(p).toBeLessThan(0.004 * 1.1)
  expect(q).toBeGreaterThan(0.05 * 0.9)
  expect(q).toBeLessThan(0.05 * 1.1)
  expect(Number(await page.getByTestId('fit-r2').getAttribute('data-value'))).toBeGreaterThan(0.99)
  const observed = readFileSync('fixtures/observed-chinese-baby.csv', 'utf8')
    .split('\n')
    .filter((line) => /^\d/.test(line)).length
  await expect(page.getByTestId('fit-chart').getByTestId('fit-observed')).toHaveCount(observed)
  await expect(page.getByTestId('fit-line')).toHaveCount(1)
  await page.screenshot({ path: 'artifacts/analysis-calibration.png' })

  // A bad paste names the line.
  await page.getByTestId('fit-csv').fill('day,users\n0,1\n10,many')
  await page.getByTestId('fit-run').click()
  await expect(page.getByTestId('fit-problem')).toHaveText('line 3: users "many" is not a number')
  await page.getByTestId('fit-file').setInputFiles('fixtures/observed-chinese-baby.csv')
  await page.getByTestId('fit-run').click()
  await expect(page.getByTestId('fit-apply')).toBeVisible({ timeout: 60_000 })
  await page.getByTestId('fit-apply').click()
  await expect(page.getByTestId('active-scenario-badge')).toHaveAttribute(
    'data-active',
    'Fit of Chinese Baby',
  )
})

test('a view-only link sees the shared scenarios and picks its own live one, but cannot change them', async ({
  page,
  browser,
}) => {
  const board = await storyBoard(page)
  await openAnalysis(page, 'scenarios')
  await createScenario(page, 'Chain')
  await setOverride(page, CHAIN_FUNNEL, '0.05')
  const viewer = await secondBrowser(browser, board.viewUrl)
  await openAnalysis(viewer.page, 'scenarios')
  await expect(scenarioRow(viewer.page, 'Chain')).toContainText('1 override')
  await expect(viewer.page.getByTestId('scenario-create')).toBeDisabled()
  await scenarioRow(viewer.page, 'Chain').getByTestId('scenario-edit').click()
  await expect(viewer.page.getByTestId('override-add')).toBeDisabled()
  await expect(viewer.page.getByTestId('scenario-delete')).toBeDisabled()
  const drawn = await shareOf(viewer.page, 'Global Purchases')
  await scenarioRow(viewer.page, 'Chain').getByTestId('scenario-active').check()
  await expect
    .poll(() => shareOf(viewer.page, 'Global Purchases'), { timeout: 15_000 })
    .toBeLessThan(drawn - 0.05)
  await viewer.context.close()
})

test("the inspector saves a selected shape's value as an override in a scenario, not on the board", async ({
  page,
}) => {
  await storyBoard(page)
  await openAnalysis(page, 'scenarios')
  await createScenario(page, 'Sticky giant')
  await closeAnalysis(page)
  // The story lays Chinese Baby out at the bottom, under the timeline bar: click its top edge.
  await product(page, 'Chinese Baby').click({ position: { x: 30, y: 4 } })
  await expect(page.getByTestId('field-churn')).toHaveValue('0.02')
  await page.getByTestId('save-as-override').locator('summary').click()
  await page.getByTestId('save-override-field').selectOption('churn')
  await page.getByTestId('save-override-value').fill('0.005')
  await page.getByTestId('save-override').click()
  await expect(page.getByTestId('save-override-message')).toHaveText(
    'churn = 0.005 saved in “Sticky giant”',
  )
  // A value the sim rejects is refused with its message.
  await page.getByTestId('save-override-value').fill('-2')
  await page.getByTestId('save-override').click()
  await expect(page.getByTestId('save-override-message')).toContainText('churn must be >= 0')
  // The board keeps its value; the scenario holds the override.
  await expect(page.getByTestId('field-churn')).toHaveValue('0.02')
  await openAnalysis(page, 'scenarios')
  await scenarioRow(page, 'Sticky giant').getByTestId('scenario-edit').click()
  await expect(
    page.locator('[data-testid="scenario-override"][data-path="products.chinese-baby.churn"]'),
  ).toContainText('0.005')
  await page.screenshot({ path: 'artifacts/analysis-inspector-override.png' })
})
