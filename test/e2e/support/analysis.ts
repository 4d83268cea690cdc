import { expect, type Page } from '@playwright/test'

/** Opens the strategy-analysis drawer on a tab (Scenarios, Sensitivity, Goal seek, Calibrate). */
export async function openAnalysis(
  page: Page,
  tab: 'scenarios' | 'sensitivity' | 'goalseek' | 'calibrate' = 'scenarios',
): Promise<void> {
  if (!(await page.getByTestId('analysis-panel').isVisible())) {
    await page.getByTestId('analysis-toggle').click()
  }
  await page.getByTestId(`analysis-tab-${tab}`).click()
  await expect(page.getByTestId(`analysis-tab-${tab}`)).toHaveAttribute('aria-selected', 'true')
}

/** Closes the drawer (so the canvas under it is visible in screenshots). */
export async function closeAnalysis(page: Page): Promise<void> {
  if (await page.getByTestId('analysis-panel').isVisible()) {
    await page.getByTestId('analysis-toggle').click()
  }
}

/** The row of a scenario (or of "Board as drawn") in the Scenarios tab. */
export function scenarioRow(page: Page, name: string) {
  return page.locator(`[data-testid="scenario-row"][data-name="${name}"]`)
}

/** Creates a scenario and leaves its editor open. */
export async function createScenario(page: Page, name: string): Promise<void> {
  await page.getByTestId('scenario-new-name').fill(name)
  await page.getByTestId('scenario-create').click()
  await expect(scenarioRow(page, name)).toBeVisible()
  await expect(page.getByTestId('scenario-editor')).toBeVisible()
}

/** Sets an override in the open scenario editor. */
export async function setOverride(page: Page, path: string, value: string): Promise<void> {
  await page.getByTestId('override-parameter').selectOption(path)
  await page.getByTestId('override-value').fill(value)
  await page.getByTestId('override-add').click()
  await expect(
    page.locator(`[data-testid="scenario-override"][data-path="${path}"]`),
  ).toContainText(value)
}

/** A product card's share at the playhead, as a number. */
export async function shareOf(page: Page, name: string): Promise<number> {
  const card = page.locator(`[data-testid="product-shape"][data-name="${name}"]`)
  return Number(await card.getAttribute('data-share'))
}
