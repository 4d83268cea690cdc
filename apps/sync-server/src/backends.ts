import type { Logger } from 'pino'
import { SYNCED_EARLY_COMMITS_PER_TURN } from './AppendBatcher.js'
import type { Settings } from './env.js'
import type { Fanout } from './fanout/fanout.js'
import { LocalFanout } from './fanout/LocalFanout.js'
import { RedisFanout } from './fanout/RedisFanout.js'
import { UnreliableFanout } from './fanout/UnreliableFanout.js'
import { PostgresStorage } from './storage/PostgresStorage.js'
import { SqliteStorage } from './storage/SqliteStorage.js'
import type { RoomStorage } from './storage/storage.js'

/**
 * How many commits a turn may start before the rest of its appends wait for its end: capped only
 * where each commit syncs the disk on the event loop (SQLite with `synchronous = full`).
 */
export function earlyCommitsPerTurn(settings: Settings): number {
  return settings.databaseUrl === undefined && settings.sqliteSynchronous === 'full'
    ? SYNCED_EARLY_COMMITS_PER_TURN
    : Number.POSITIVE_INFINITY
}

/**
 * The storage the settings ask for: PostgreSQL with `DATABASE_URL`, else SQLite in `--data`
 * (`readOnly`: only to read, beside a server that may be writing the same folder).
 */
export function openStorage(
  settings: Settings,
  options: { log?: Logger; readOnly?: boolean } = {},
): RoomStorage {
  if (settings.databaseUrl === undefined) {
    return new SqliteStorage(settings.data, settings.sqliteSynchronous, {
      readOnly: options.readOnly,
    })
  }
  return new PostgresStorage({
    connectionString: settings.databaseUrl,
    schema: settings.databaseSchema,
    onIdleError: (error) =>
      options.log?.warn({ err: error }, 'an idle PostgreSQL connection failed'),
  })
}

/**
 * The fan-out the settings ask for: Redis with `REDIS_URL`, else this node alone. The test-only
 * fault settings wrap it in an {@link UnreliableFanout}.
 */
export function openFanout(settings: Settings, log: Logger): Fanout {
  if (settings.redisUrl === undefined) return new LocalFanout().node()
  let lastErrorLog = 0
  const fanout = new RedisFanout({
    url: settings.redisUrl,
    prefix: settings.redisPrefix,
    onError: (error) => {
      // ioredis reports every reconnect attempt; one line per few seconds is enough.
      if (Date.now() - lastErrorLog < 5000) return
      lastErrorLog = Date.now()
      log.warn(
        { err: error },
        'redis fan-out unavailable; rooms catch up from PostgreSQL meanwhile',
      )
    },
    onMalformed: (reason) => log.warn(reason),
  })
  if (settings.testFanoutDrop === 0 && settings.testFanoutDelayMs === 0) return fanout
  log.warn(
    { drop: settings.testFanoutDrop, delayMs: settings.testFanoutDelayMs },
    'TEST ONLY: dropping/delaying cross-node messages on purpose',
  )
  return new UnreliableFanout(fanout, {
    drop: settings.testFanoutDrop,
    delayMs: settings.testFanoutDelayMs,
    seed: settings.testFanoutSeed,
  })
}
