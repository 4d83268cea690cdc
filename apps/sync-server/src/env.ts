import { z } from 'zod'
import { CloseCodes } from './closeCodes.js'
import { SyncError } from './SyncError.js'

const MiB = 1024 * 1024

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max)

function url(protocols: readonly string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol)
      } catch {
        return false
      }
    },
    { message: `must be a URL like ${example}` },
  )
}

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

/**
 * Every setting of chainmap-sync with its default. Each has an environment variable and a
 * command-line flag (see {@link SETTING_SOURCES}); a flag wins over the environment.
 */
export const settingsSchema = z
  .object({
    port: integer(0, 65535).default(1234),
    host: z.string().min(1).default('0.0.0.0'),
    data: z.string().min(1).default('./data'),
    authSecret: z
      .string()
      .min(
        1,
        'is set but empty: set a secret of at least 32 characters, or unset it and pass --open',
      )
      .min(32, 'must be at least 32 characters (HS256 key)')
      .optional(),
    open: boolean.default(false),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    maxMessageBytes: integer(1024).default(4 * MiB),
    maxQueuedBytes: integer(1024).default(16 * MiB),
    maxConnectionsPerIp: integer(1).default(256),
    maxConnectionsPerRoom: integer(1).default(256),
    updateRate: integer(1).default(100),
    updateBurst: integer(1).default(1000),
    presenceRate: integer(1).default(60),
    presenceBurst: integer(1).default(300),
    maxPresenceBytes: integer(256).default(64 * 1024),
    maxPresencePerConnection: integer(1).default(4),
    byteRate: integer(1024).default(4 * MiB),
    byteBurst: integer(1024).default(32 * MiB),
    maxRoomBytes: integer(1024).default(16 * MiB),
    maxRoomItems: integer(100).default(250_000),
    roomIdleMs: integer(0).default(30_000),
    roomHibernateMs: integer(0).default(10_000),
    pingIntervalMs: integer(100).default(30_000),
    compactAfter: integer(1).default(1000),
    sqliteSynchronous: z.enum(['full', 'normal']).default('normal'),
    // How many proxies of the operator's stand in front; true means one (nginx, a load balancer).
    trustProxy: z
      .union([
        z.enum(['true', 'yes']).transform(() => 1),
        z.enum(['false', 'no']).transform(() => 0),
        integer(0, 16),
      ])
      .default(0),
    simulationConcurrency: integer(1, 64).default(2),
    simulationTimeoutMs: integer(100).default(10_000),
    maxAnswerBytes: integer(1024).default(16 * MiB),
    revocations: z.string().min(1).optional(),
    databaseUrl: url(
      ['postgres:', 'postgresql:'],
      'postgres://user:password@host:5432/database',
    ).optional(),
    databaseSchema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be 1–63 of a–z 0–9 _ starting with a letter or _')
      .default('public'),
    redisUrl: url(['redis:', 'rediss:'], 'redis://host:6379').optional(),
    redisPrefix: z.string().min(1).max(64).default('chainmap:'),
    catchUpIntervalMs: integer(50).default(1000),
    testFanoutDrop: z.coerce.number().min(0).max(1).default(0),
    testFanoutDelayMs: integer(0, 60_000).default(0),
    testFanoutSeed: integer(0, 0xffffffff).default(1),
  })
  .refine((settings) => !(settings.open && settings.authSecret !== undefined), {
    message: 'contradicts CHAINMAP_AUTH_SECRET: a server with a secret is not open; unset one',
    path: ['open'],
  })
  .refine((settings) => settings.redisUrl === undefined || settings.databaseUrl !== undefined, {
    message:
      'REDIS_URL needs DATABASE_URL: nodes that fan out through Redis must share one PostgreSQL',
    path: ['redisUrl'],
  })

/** Settings after validation. */
export type Settings = z.infer<typeof settingsSchema>

/** Where each setting comes from: its environment variable, its flag, and what it means. */
export const SETTING_SOURCES: Record<
  keyof Settings,
  { env: string; flag?: string; help: string; switch?: boolean }
> = {
  port: { env: 'CHAINMAP_SYNC_PORT', flag: 'port', help: 'TCP port (0 picks a free one)' },
  host: { env: 'CHAINMAP_SYNC_HOST', flag: 'host', help: 'address to bind' },
  data: { env: 'CHAINMAP_DATA', flag: 'data', help: 'data folder holding the SQLite database' },
  authSecret: {
    env: 'CHAINMAP_AUTH_SECRET',
    help: 'HS256 secret (≥ 32 chars); when set every connection needs a token. Env only, never a flag',
  },
  open: {
    env: 'CHAINMAP_OPEN',
    flag: 'open',
    switch: true,
    help: 'run without CHAINMAP_AUTH_SECRET: anyone who reaches the server reads and edits every board',
  },
  logLevel: { env: 'CHAINMAP_LOG_LEVEL', flag: 'log-level', help: 'pino log level' },
  maxMessageBytes: {
    env: 'CHAINMAP_MAX_MESSAGE_BYTES',
    flag: 'max-message-bytes',
    help: 'largest incoming frame; larger ones close the connection (1009)',
  },
  maxQueuedBytes: {
    env: 'CHAINMAP_MAX_QUEUED_BYTES',
    flag: 'max-queued-bytes',
    help: 'outgoing bytes queued per connection before it is dropped as a slow reader (4508)',
  },
  maxConnectionsPerIp: {
    env: 'CHAINMAP_MAX_CONNECTIONS_PER_IP',
    flag: 'max-connections-per-ip',
    help: 'open connections allowed from one address (4503 beyond)',
  },
  maxConnectionsPerRoom: {
    env: 'CHAINMAP_MAX_CONNECTIONS_PER_ROOM',
    flag: 'max-connections-per-room',
    help: 'open connections allowed in one room (4503 beyond)',
  },
  updateRate: {
    env: 'CHAINMAP_UPDATE_RATE',
    flag: 'update-rate',
    help: 'sustained document updates per second per connection (4529 beyond)',
  },
  updateBurst: {
    env: 'CHAINMAP_UPDATE_BURST',
    flag: 'update-burst',
    help: 'updates a connection may send in a burst',
  },
  presenceRate: {
    env: 'CHAINMAP_PRESENCE_RATE',
    flag: 'presence-rate',
    help: 'sustained changes of its own presence per second per connection (4529 beyond)',
  },
  presenceBurst: {
    env: 'CHAINMAP_PRESENCE_BURST',
    flag: 'presence-burst',
    help: 'presence changes a connection may send in a burst',
  },
  maxPresenceBytes: {
    env: 'CHAINMAP_MAX_PRESENCE_BYTES',
    flag: 'max-presence-bytes',
    help: 'largest presence state (cursor, name, selection…) in bytes of JSON (4400 beyond)',
  },
  maxPresencePerConnection: {
    env: 'CHAINMAP_MAX_PRESENCE_PER_CONNECTION',
    flag: 'max-presence-per-connection',
    help: 'participants one connection may show in presence (4400 beyond)',
  },
  byteRate: {
    env: 'CHAINMAP_BYTE_RATE',
    flag: 'byte-rate',
    help: 'sustained bytes per second a connection may send, all frames counted (4529 beyond)',
  },
  byteBurst: {
    env: 'CHAINMAP_BYTE_BURST',
    flag: 'byte-burst',
    help: 'bytes a connection may send in a burst',
  },
  maxRoomBytes: {
    env: 'CHAINMAP_MAX_ROOM_BYTES',
    flag: 'max-room-bytes',
    help: 'largest board, in encoded bytes; an edit past it is refused (4413); a stored board over twice it is not loaded',
  },
  maxRoomItems: {
    env: 'CHAINMAP_MAX_ROOM_ITEMS',
    flag: 'max-room-items',
    help: 'most Yjs items one board may hold (what a live board’s memory grows with); an edit past it is refused (4413)',
  },
  roomIdleMs: {
    env: 'CHAINMAP_ROOM_IDLE_MS',
    flag: 'room-idle-ms',
    help: 'how long an empty room stays in memory',
  },
  roomHibernateMs: {
    env: 'CHAINMAP_ROOM_HIBERNATE_MS',
    flag: 'room-hibernate-ms',
    help: 'a room without edits this long keeps its board as compact bytes, not a live Y.Doc',
  },
  pingIntervalMs: {
    env: 'CHAINMAP_PING_INTERVAL_MS',
    flag: 'ping-interval-ms',
    help: 'ping period; a connection silent for two periods is dropped',
  },
  compactAfter: {
    env: 'CHAINMAP_COMPACT_AFTER',
    flag: 'compact-after',
    help: 'fold a room’s update log into its snapshot after this many updates',
  },
  sqliteSynchronous: {
    env: 'CHAINMAP_SQLITE_SYNCHRONOUS',
    flag: 'sqlite-synchronous',
    help: 'normal: commits survive a killed process (SIGKILL, OOM, crash); full: also power loss, fsync per commit',
  },
  trustProxy: {
    env: 'CHAINMAP_TRUST_PROXY',
    flag: 'trust-proxy',
    help: 'proxies of yours in front (true = 1): the client address is the X-Forwarded-For entry that many from the right',
  },
  simulationConcurrency: {
    env: 'CHAINMAP_SIMULATION_CONCURRENCY',
    flag: 'simulation-concurrency',
    help: 'simulations the HTTP API runs at once (worker threads); more get 503',
  },
  simulationTimeoutMs: {
    env: 'CHAINMAP_SIMULATION_TIMEOUT_MS',
    flag: 'simulation-timeout-ms',
    help: 'a simulation running longer is stopped and answered 413',
  },
  revocations: {
    env: 'CHAINMAP_REVOCATIONS_FILE',
    flag: 'revocations',
    help: 'JSON file of revoked board links (written by `chainmap-sync revoke`), re-read within 2 s of a change',
  },
  maxAnswerBytes: {
    env: 'CHAINMAP_MAX_ANSWER_BYTES',
    flag: 'max-answer-bytes',
    help: 'largest /model or /simulation answer in bytes of JSON; larger ones get 413 (ask with every= or until=)',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    flag: 'database-url',
    help: 'PostgreSQL shared by every node (instead of SQLite in --data); needed for several nodes',
  },
  databaseSchema: {
    env: 'CHAINMAP_DATABASE_SCHEMA',
    flag: 'database-schema',
    help: 'PostgreSQL schema holding chainmap-sync’s tables (created if missing)',
  },
  redisUrl: {
    env: 'REDIS_URL',
    flag: 'redis-url',
    help: 'Redis for cross-node fan-out of updates and presence (needs DATABASE_URL)',
  },
  redisPrefix: {
    env: 'CHAINMAP_REDIS_PREFIX',
    flag: 'redis-prefix',
    help: 'prefix of chainmap-sync’s Redis channels (one per room)',
  },
  catchUpIntervalMs: {
    env: 'CHAINMAP_CATCH_UP_INTERVAL_MS',
    flag: 'catch-up-interval-ms',
    help: 'with DATABASE_URL: how often loaded rooms are compared with PostgreSQL and caught up',
  },
  testFanoutDrop: {
    env: 'CHAINMAP_TEST_FANOUT_DROP',
    help: 'TEST ONLY: fraction of incoming cross-node messages dropped (proves catch-up)',
  },
  testFanoutDelayMs: {
    env: 'CHAINMAP_TEST_FANOUT_DELAY_MS',
    help: 'TEST ONLY: incoming cross-node messages are delayed by up to this long (reordering them)',
  },
  testFanoutSeed: {
    env: 'CHAINMAP_TEST_FANOUT_SEED',
    help: 'TEST ONLY: seed of the dropped/delayed choices',
  },
}

/**
 * Refuses settings that would serve every board to anyone by accident: without a secret the
 * server runs only when told `--open`. Throws a {@link SyncError} (`invalid-settings`).
 */
export function checkAccessSettings(settings: Settings): void {
  if (settings.authSecret !== undefined || settings.open) return
  throw new SyncError(
    'invalid-settings',
    'CHAINMAP_AUTH_SECRET is not set: set it (at least 32 characters) so that every connection needs a token, or pass --open (CHAINMAP_OPEN=true) to let anyone who reaches the server read and edit every board',
    CloseCodes.badRequest,
  )
}

/** Raw setting values as strings, keyed like {@link Settings}. */
export type RawSettings = Partial<Record<keyof Settings, string>>

/**
 * Reads the chainmap-sync settings from the environment, the one place `process.env` is read.
 * Flags given on the command line (`overrides`) win over the environment. Throws an error naming
 * every invalid setting with its variable and flag.
 */
export function readSettings(
  env: NodeJS.ProcessEnv = process.env,
  overrides: RawSettings = {},
): Settings {
  const raw: Record<string, string | undefined> = {}
  for (const [key, source] of Object.entries(SETTING_SOURCES)) {
    const value = overrides[key as keyof Settings] ?? env[source.env]
    // An empty variable counts as unset, except the secret: set but empty is a mistake to report.
    raw[key] = value === '' && key !== 'authSecret' ? undefined : value
  }
  const parsed = settingsSchema.safeParse(raw)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]) as keyof Settings
      const source = SETTING_SOURCES[key]
      const where = source ? `${source.env}${source.flag ? ` / --${source.flag}` : ''}` : key
      return `${key} (${where}): ${issue.message}`
    })
    throw new Error(`invalid chainmap-sync settings:\n  ${lines.join('\n  ')}`)
  }
  return parsed.data
}
