import { describe, expect, it } from 'vitest'
import { helpText, parseCommandLine } from './cliArgs.js'
import { readSettings } from './env.js'

describe('settings', () => {
  it('has documented defaults and lets flags win over the environment', () => {
    const defaults = readSettings({})
    expect(defaults).toMatchObject({
      port: 1234,
      host: '0.0.0.0',
      data: './data',
      sqliteSynchronous: 'normal',
    })
    expect(defaults.authSecret).toBeUndefined()
    const settings = readSettings(
      { CHAINMAP_SYNC_PORT: '4000', CHAINMAP_DATA: '/env', CHAINMAP_UPDATE_RATE: '5' },
      { port: '5000' },
    )
    expect(settings).toMatchObject({ port: 5000, data: '/env', updateRate: 5 })
  })

  it('names the setting, its variable and its flag when invalid', () => {
    expect(() => readSettings({ CHAINMAP_SYNC_PORT: 'seventy' })).toThrow(
      /port \(CHAINMAP_SYNC_PORT \/ --port\)/,
    )
    expect(() => readSettings({ CHAINMAP_AUTH_SECRET: 'short' })).toThrow(
      /authSecret \(CHAINMAP_AUTH_SECRET\)/,
    )
    expect(() => readSettings({ CHAINMAP_SQLITE_SYNCHRONOUS: 'off' })).toThrow(/sqliteSynchronous/)
  })

  it('validates the multi-node settings: URLs by scheme, Redis only with PostgreSQL', () => {
    const settings = readSettings(
      { DATABASE_URL: 'postgres://u@db:5432/app', REDIS_URL: 'redis://cache:6379' },
      { databaseSchema: 'sync' },
    )
    expect(settings).toMatchObject({
      databaseUrl: 'postgres://u@db:5432/app',
      redisUrl: 'redis://cache:6379',
      databaseSchema: 'sync',
      catchUpIntervalMs: 1000,
      testFanoutDrop: 0,
    })
    expect(() => readSettings({ DATABASE_URL: 'mysql://db/app' })).toThrow(
      /databaseUrl \(DATABASE_URL \/ --database-url\): must be a URL like postgres:/,
    )
    expect(() => readSettings({ REDIS_URL: 'redis://cache:6379' })).toThrow(
      /redisUrl \(REDIS_URL \/ --redis-url\): REDIS_URL needs DATABASE_URL/,
    )
    expect(() => readSettings({ CHAINMAP_DATABASE_SCHEMA: 'Bad-Name' })).toThrow(/databaseSchema/)
    expect(() => readSettings({ CHAINMAP_TEST_FANOUT_DROP: '2' })).toThrow(/testFanoutDrop/)
  })

  it('parses commands and flags, and rejects unknown ones', () => {
    expect(parseCommandLine(['--port', '99', '--data', 'd'])).toEqual({
      name: 'serve',
      overrides: { port: '99', data: 'd' },
    })
    expect(parseCommandLine(['token', '--room', 'r', '--role', 'view'])).toEqual({
      name: 'token',
      room: 'r',
      role: 'view',
      expires: '24h',
    })
    expect(parseCommandLine(['--help'])).toEqual({ name: 'help' })
    expect(() => parseCommandLine(['--bogus'])).toThrow(/bogus/)
    expect(() => parseCommandLine(['token'])).toThrow(/--room is required/)
    expect(helpText(readSettings({}))).toContain('CHAINMAP_MAX_CONNECTIONS_PER_ROOM')
  })
})
