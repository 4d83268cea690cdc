import { randomBytes } from 'node:crypto'
import { describe, it } from 'vitest'

/** URLs of the real PostgreSQL and Redis the multi-node tests use. */
export interface Services {
  readonly databaseUrl: string
  /** Empty when the suite asked for PostgreSQL only. */
  readonly redisUrl: string
}

type ServiceVariable = 'DATABASE_URL' | 'REDIS_URL'

/**
 * The PostgreSQL and Redis to test against, from `DATABASE_URL` / `REDIS_URL`, or `undefined` when
 * one is missing. Missing services are one loud line outside CI and a failing test with `CI=true`
 * (see CONTRIBUTING.md); tests that need them are skipped with `describe.skipIf`, whose reason is this
 * function's line.
 */
export function services(
  suite: string,
  needs: readonly ServiceVariable[] = ['DATABASE_URL', 'REDIS_URL'],
): Services | undefined {
  const databaseUrl = process.env.DATABASE_URL ?? ''
  const redisUrl = process.env.REDIS_URL ?? ''
  const given: Record<ServiceVariable, string> = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl }
  const absent = needs.filter((variable) => given[variable] === '')
  if (absent.length === 0) return { databaseUrl, redisUrl }
  const missing = absent.join(' and ')
  missingPrerequisite(
    suite,
    missing,
    `set ${missing} (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379) to run them`,
  )
  return undefined
}

/**
 * Reports that `suite` cannot run without `missing`: one loud line outside CI, a failing test with
 * `CI=true` (see CONTRIBUTING.md). The caller skips the suite with `describe.skipIf`; this line is
 * the skip's reason.
 */
export function missingPrerequisite(suite: string, missing: string, how: string): void {
  if (process.env.CI === 'true') {
    describe(suite, () => {
      it(`needs ${missing} when CI=true`, () => {
        throw new Error(`${suite}: ${missing} missing with CI=true; ${how}`)
      })
    })
  } else {
    console.warn(`\n!!! SKIPPING ${suite}: ${missing} not available — ${how} !!!\n`)
  }
}

/** A schema (and Redis key prefix) name unique to this test run, so parallel files never collide. */
export function uniqueName(label: string): string {
  return `cm_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`
}

/** Environment that makes a chainmap-sync process one node of a cluster on `services`. */
export function nodeEnv(env: Services, name: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    CHAINMAP_DATABASE_SCHEMA: name,
    CHAINMAP_REDIS_PREFIX: `${name}:`,
    CHAINMAP_UPDATE_RATE: '100000',
    CHAINMAP_UPDATE_BURST: '100000',
    CHAINMAP_CATCH_UP_INTERVAL_MS: '250',
    ...extra,
  }
}
