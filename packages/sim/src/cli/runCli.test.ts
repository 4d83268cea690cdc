import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { marketModel, product } from '../testing/fixtures.js'
import { EXIT_BAD_INPUT, runCli } from './runCli.js'

const dir = mkdtempSync(join(tmpdir(), 'chainmap-sim-cli-'))
const good = join(dir, 'good.json')
const bad = join(dir, 'bad.json')
writeFileSync(good, JSON.stringify(marketModel({ products: [product('x')], horizonDays: 10 })))
const broken = marketModel({ products: [product('x', { company: 'nope' })] })
broken.markets[0]!.p = -1
writeFileSync(bad, JSON.stringify(broken))

async function cli(...args: string[]) {
  let out = ''
  let err = ''
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) })
  return { code, out, err }
}

describe('chainmap-sim', () => {
  it('runs a model to JSON aligned with days', async () => {
    const { code, out } = await cli('run', good)
    expect(code).toBe(0)
    const result = JSON.parse(out)
    expect(result.days).toHaveLength(11)
    expect(result.products.x.users).toHaveLength(11)
    expect(result.products.x.users[10]).toBeGreaterThan(0)
  })

  it('runs the agents engine to CSV with bands', async () => {
    const { code, out } = await cli(
      'run',
      good,
      '--engine',
      'agents',
      '--agents',
      '500',
      '--runs',
      '3',
      '--seed',
      '4',
      '--format',
      'csv',
    )
    expect(code).toBe(0)
    const lines = out.trim().split('\n')
    expect(lines).toHaveLength(12)
    expect(lines[0]).toContain('day,products.x.users')
    expect(lines[0]).toContain('products.x.p10.users')
  })

  it('validates, and exits 2 listing every problem of a bad model', async () => {
    expect((await cli('validate', good)).code).toBe(0)
    const { code, err } = await cli('validate', bad)
    expect(code).toBe(EXIT_BAD_INPUT)
    expect(err).toContain('markets[0].p must be >= 0')
    expect(err).toContain('products[0].company "nope" is not a company id')
    expect((await cli('run', bad)).code).toBe(EXIT_BAD_INPUT)
  })

  it('exits 2 on unreadable files, bad JSON and bad flags', async () => {
    const notJson = join(dir, 'not.json')
    writeFileSync(notJson, '{ nope')
    expect((await cli('run', join(dir, 'missing.json'))).code).toBe(EXIT_BAD_INPUT)
    expect((await cli('run', notJson)).err).toContain('is not valid JSON')
    expect((await cli('run', good, '--format', 'xml')).code).toBe(EXIT_BAD_INPUT)
    expect((await cli('run', good, '--agents', 'many')).code).toBe(EXIT_BAD_INPUT)
    expect((await cli('frobnicate')).code).toBe(EXIT_BAD_INPUT)
  })

  it('prints the JSON Schema', async () => {
    const { code, out } = await cli('schema')
    expect(code).toBe(0)
    expect(JSON.parse(out).properties.markets).toBeDefined()
  })

  it('works as the built binary with exit code 2 on bad input', async () => {
    const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))
    const run = promisify(execFile)
    const ok = await run(process.execPath, [main, 'validate', good])
    expect(ok.stdout).toContain('valid')
    const failure = await run(process.execPath, [main, 'validate', bad]).catch((e) => e)
    expect(failure.code).toBe(2)
    expect(failure.stderr).toContain('markets[0].p must be >= 0')
  })
})
