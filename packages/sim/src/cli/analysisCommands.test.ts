import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EXIT_BAD_INPUT, runCli } from './runCli.js'

const scenarios = (name: string) =>
  fileURLToPath(new URL(`../../scenarios/${name}.json`, import.meta.url))
const story = scenarios('ecosystem-vs-giant')
const dir = mkdtempSync(join(tmpdir(), 'chainmap-sim-analysis-'))
const write = (name: string, content: unknown) => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}
const chain = {
  'links.ali-shopping->chinese-baby.funnel': 0.05,
  'links.ali-shopping->chinese-baby.lockIn': 0.7,
}
const scenarioFile = write('scenarios.json', {
  scenarios: [
    { name: 'as drawn', overrides: {} },
    { name: 'giant, chain', overrides: chain },
  ],
})

async function cli(...args: string[]) {
  let out = ''
  let err = ''
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) })
  return { code, out, err }
}

describe('chainmap-sim compare', () => {
  it('prints the outcome table of each scenario as JSON and CSV', async () => {
    const asJson = await cli('compare', story, scenarioFile)
    expect(asJson.code).toBe(0)
    const parsed = JSON.parse(asJson.out)
    expect(parsed.scenarios.map((s: { name: string }) => s.name)).toEqual([
      'as drawn',
      'giant, chain',
    ])
    const share = (i: number) => parsed.scenarios[i].outcomes.products['global-purchases'].share
    expect(share(0)).toBeGreaterThan(share(1))
    expect(parsed.scenarios[0].result).toBeUndefined()

    const asCsv = await cli('compare', story, scenarioFile, '--format', 'csv', '--day', '200')
    expect(asCsv.code).toBe(0)
    const lines = asCsv.out.trim().split('\n')
    expect(lines[0]).toBe('kind,id,measure,as drawn,"giant, chain"')
    expect(lines.find((line) => line.startsWith('company,ali,depth,'))).toBeDefined()
    // 8 products × 3 + 2 companies × 2 + 7 markets, plus the header.
    expect(lines).toHaveLength(1 + 24 + 4 + 7)
  })

  it('adds full series with --series', async () => {
    const { code, out } = await cli('compare', story, scenarioFile, '--series')
    expect(code).toBe(0)
    expect(JSON.parse(out).scenarios[1].result.products['chinese-baby'].users).toHaveLength(366)
  })

  it('exits 2 naming the bad override or file', async () => {
    const bad = write('bad-scenarios.json', [{ name: 'oops', overrides: { 'markets.nope.p': 1 } }])
    const result = await cli('compare', story, bad)
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.err).toContain(
      'scenario "oops": override parameter "markets.nope.p": "nope" is not a market id',
    )
    const shape = await cli('compare', story, write('shape.json', [{ name: 'x' }]))
    expect(shape.code).toBe(EXIT_BAD_INPUT)
    expect(shape.err).toContain('scenarios[0].overrides must be a record')
    expect((await cli('compare', story)).err).toContain('missing <scenarios.json>')
    expect((await cli('compare', story, scenarioFile, '--outcome', 'x')).err).toContain(
      '--outcome does not apply to compare',
    )
  })
})

describe('chainmap-sim sensitivity', () => {
  const parameters = 'markets.purchasing.q,products.chinese-baby.churn,settings.ecosystemPull'

  it('prints drivers strongest first as CSV, the top N', async () => {
    const args = [
      'sensitivity',
      story,
      '--outcome',
      'share:global-purchases',
      '--parameters',
      parameters,
    ]
    const { code, out } = await cli(...args, '--top', '2', '--format', 'csv')
    expect(code).toBe(0)
    const lines = out.trim().split('\n')
    expect(lines[0]).toBe('parameter,base,low,high,outcome_low,outcome_high,swing')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(/^products\.chinese-baby\.churn,0\.02,0\.016,0\.024,/)
    const full = JSON.parse((await cli(...args, '--change', '0.1')).out)
    expect(full.outcome).toBe('share:global-purchases')
    expect(full.change).toBe(0.1)
    expect(full.drivers).toHaveLength(3)
  })

  it('exits 2 on a missing or bad outcome and bad numbers', async () => {
    expect((await cli('sensitivity', story)).err).toContain('missing --outcome')
    const bad = await cli('sensitivity', story, '--outcome', 'share:nope')
    expect(bad.code).toBe(EXIT_BAD_INPUT)
    expect(bad.err).toContain('outcome "share:nope": "nope" is not a product id')
    const change = await cli(
      'sensitivity',
      story,
      '--outcome',
      'share:chinese-baby',
      '--change',
      'big',
    )
    expect(change.err).toContain('--change must be a number, got "big"')
  })
})

describe('chainmap-sim goal-seek', () => {
  const base = [
    'goal-seek',
    story,
    '--parameter',
    'links.ali-shopping->chinese-baby.funnel',
    '--outcome',
    'company-share:ali/purchasing',
  ]

  it('finds the smallest value reaching the target', async () => {
    const { code, out } = await cli(...base, '--target', '0.4')
    expect(code).toBe(0)
    const found = JSON.parse(out)
    expect(found.outcomeValue).toBeGreaterThanOrEqual(0.4)
    expect(found.scenario.overrides['links.ali-shopping->chinese-baby.funnel']).toBe(found.value)
    const csv = await cli(...base, '--target', '0.4', '--format', 'csv')
    expect(csv.out.split('\n')[0]).toBe('parameter,value,outcome,outcome_value,target,evaluations')
  })

  it('exits 2 when the target is out of reach', async () => {
    const { code, err } = await cli(...base, '--target', '0.4', '--max', '0.001')
    expect(code).toBe(EXIT_BAD_INPUT)
    expect(err).toContain('company-share:ali/purchasing does not reach >= 0.4')
    expect((await cli(...base)).err).toContain('missing --target')
  })
})

describe('chainmap-sim fit', () => {
  const model = scenarios('bass-1969-room-air-conditioners.model')
  const data = scenarios('bass-1969-room-air-conditioners')

  it('fits observed users from JSON and CSV', async () => {
    const fromJson = await cli('fit', model, data, '--product', 'room-air-conditioner')
    expect(fromJson.code).toBe(0)
    const fit = JSON.parse(fromJson.out)
    expect(fit.rSquared).toBeGreaterThan(0.99)
    expect(fit.fitted).toHaveLength(13)
    const csv = write(
      'observed.csv',
      `# cumulative adopters\nday,users\n${fit.fitted.map((p: { day: number; users: number }) => `${p.day},${p.users}`).join('\n')}\n`,
    )
    const fromCsv = await cli(
      'fit',
      model,
      csv,
      '--product',
      'room-air-conditioner',
      '--format',
      'csv',
    )
    expect(fromCsv.code).toBe(0)
    const rows = fromCsv.out.trim().split('\n')
    expect(rows[0]).toBe('name,value')
    expect(rows[1]).toMatch(/^markets\.room-ac\.p,/)
    expect(rows.find((row) => row.startsWith('rSquared,'))).toBeDefined()
  })

  it('fits per-period adoptions with --target and prints standard errors', async () => {
    const args = ['fit', model, data, '--product', 'room-air-conditioner', '--fit', 'p,q,reach']
    const { code, out } = await cli(...args, '--target', 'adoptions', '--format', 'csv')
    expect(code).toBe(0)
    const rows = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((row) => row.split(',')),
    )
    expect(rows.target).toBe('adoptions')
    expect(Number(rows.starts)).toBe(10)
    expect(Number(rows['markets.room-ac.p.standardError'])).toBeGreaterThan(0)
    expect(Number(rows['markets.room-ac.reach.standardError'])).toBeGreaterThan(0)
    const json = JSON.parse((await cli(...args, '--target', 'adoptions')).out)
    expect(json.target).toBe('adoptions')
    const bad = await cli(...args, '--target', 'sales')
    expect(bad.code).toBe(EXIT_BAD_INPUT)
    expect(bad.err).toContain('target "sales" is not a fit target')
  })

  it('exits 2 naming the bad line, column or product', async () => {
    const model = scenarios('bass-1969-room-air-conditioners.model')
    const badLine = write('bad.csv', 'day,users\n1,2\n2,lots\n')
    expect((await cli('fit', model, badLine, '--product', 'room-air-conditioner')).err).toContain(
      'bad.csv: line 3: users "lots" is not a number',
    )
    const noColumn = write('cols.csv', 'when,count\n1,2\n')
    expect((await cli('fit', model, noColumn, '--product', 'x')).err).toContain(
      'cols.csv: line 1: a header needs "day" and "users" columns, got "when, count"',
    )
    const wrong = await cli('fit', model, data, '--product', 'nope')
    expect(wrong.code).toBe(EXIT_BAD_INPUT)
    expect(wrong.err).toContain('product "nope" is not a product id')
    expect((await cli('fit', model, data)).err).toContain('missing --product')
  })
})

describe('chainmap-sim flags', () => {
  it('rejects flags of another command', async () => {
    const { code, err } = await cli('run', story, '--outcome', 'share:x')
    expect(code).toBe(EXIT_BAD_INPUT)
    expect(err).toContain('--outcome does not apply to run')
  })
})
