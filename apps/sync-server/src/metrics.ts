import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** The Prometheus metrics of one chainmap-sync server. */
export interface SyncMetrics {
  /** The registry `/metrics` renders. */
  readonly registry: Registry
  /** Open websocket connections. */
  readonly connections: Gauge
  /** Rooms held in memory. */
  readonly roomsLoaded: Gauge
  /** Loaded rooms without recent edits, keeping their board as compact bytes instead of a Y.Doc. */
  readonly roomsHibernated: Gauge
  /** Frames received, by message type. */
  readonly messagesIn: Counter<'type'>
  /** Frames sent. */
  readonly messagesOut: Counter
  /** Bytes received in binary frames. */
  readonly bytesIn: Counter
  /** Bytes sent in binary frames. */
  readonly bytesOut: Counter
  /** Time to make one batch of appended updates durable (the journal write on SQLite, the commit on PostgreSQL). */
  readonly appendSeconds: Histogram
  /**
   * From the server reading a client's update frame to its relay written to the room's other
   * connections: decoding, applying, waiting for and making the commit, and the writes themselves.
   * Time the frame waited in the socket before it was read is not in it; a frame that came before
   * its room finished loading includes the load.
   */
  readonly relayDelaySeconds: Histogram
  /** Updates committed. */
  readonly updatesAppended: Counter
  /** Connections refused before joining a room, by reason. */
  readonly refused: Counter<'reason'>
  /** Connections closed by the server for misbehaving or a limit, by reason. */
  readonly kicked: Counter<'reason'>
  /**
   * Catch-ups from shared storage, by what found the room behind: `gap` (a missing sequence
   * number) or `periodic` (the check of all loaded rooms).
   */
  readonly catchUps: Counter<'reason'>
  /**
   * Rooms that found storage holding less than they had applied (it lost commits: a failover to a
   * standby without them, a restored backup) and were written back and reloaded.
   */
  readonly storageWentBack: Counter
  /**
   * Errors that escaped a room's timer, promise callback or event handler (`where`): each failed
   * that room, which reloads from storage. Any count is a server bug worth reporting.
   */
  readonly roomErrors: Counter<'where'>
  /**
   * Damage found in storage (`where`): `journal` (a damaged stretch skipped at start), `database`
   * (SQLite's integrity check failed at start), `board` (a board loaded with edits missing).
   */
  readonly storageDamage: Counter<'where'>
  /** Board requests (`/snapshot`, `/model`, `/simulation`) being answered, of `--simulation-concurrency`. */
  readonly boardRequests: Gauge
  /** Rooms whose stored state could not be loaded (their connections get 1011; the log says why). */
  readonly roomLoadFailures: Counter
  /** Errors no guard caught, which the process logged and survived (`kind`). Should stay 0. */
  readonly uncaughtErrors: Counter<'kind'>
}

/** Creates the metrics in a fresh registry (so several servers in one process never clash). */
export function createMetrics(withDefaults = true): SyncMetrics {
  const registry = new Registry()
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'chainmap_sync_' })
  const registers = [registry]
  return {
    registry,
    connections: new Gauge({
      name: 'chainmap_sync_connections',
      help: 'Open websocket connections',
      registers,
    }),
    roomsLoaded: new Gauge({
      name: 'chainmap_sync_rooms_loaded',
      help: 'Rooms held in memory',
      registers,
    }),
    roomsHibernated: new Gauge({
      name: 'chainmap_sync_rooms_hibernated',
      help: 'Loaded rooms without recent edits, keeping their board as compact bytes instead of a live Y.Doc',
      registers,
    }),
    messagesIn: new Counter({
      name: 'chainmap_sync_messages_in_total',
      help: 'Frames received, by message type',
      labelNames: ['type'],
      registers,
    }),
    messagesOut: new Counter({
      name: 'chainmap_sync_messages_out_total',
      help: 'Frames sent',
      registers,
    }),
    bytesIn: new Counter({
      name: 'chainmap_sync_bytes_in_total',
      help: 'Bytes received in binary frames',
      registers,
    }),
    bytesOut: new Counter({
      name: 'chainmap_sync_bytes_out_total',
      help: 'Bytes sent in binary frames',
      registers,
    }),
    appendSeconds: new Histogram({
      name: 'chainmap_sync_append_duration_seconds',
      help: 'Time to make one batch of appended updates durable: the journal write on SQLite, the commit on PostgreSQL',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    relayDelaySeconds: new Histogram({
      name: 'chainmap_sync_relay_delay_seconds',
      help: "From reading a client's update frame to its relay written to the room's other connections (includes the commit; frames read before their room loaded include the load)",
      // Fine below 2.5 ms, where a healthy node's relays fall.
      buckets: [
        0.0001, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.0015, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5,
      ],
      registers,
    }),
    updatesAppended: new Counter({
      name: 'chainmap_sync_updates_appended_total',
      help: 'Document updates committed to storage',
      registers,
    }),
    refused: new Counter({
      name: 'chainmap_sync_connections_refused_total',
      help: 'Connections refused before joining a room, by reason',
      labelNames: ['reason'],
      registers,
    }),
    kicked: new Counter({
      name: 'chainmap_sync_connections_closed_by_server_total',
      help: 'Connections the server closed for bad input or a limit, by reason',
      labelNames: ['reason'],
      registers,
    }),
    catchUps: new Counter({
      name: 'chainmap_sync_catch_ups_total',
      help: 'Rooms caught up from shared storage, by what found them behind (gap, periodic)',
      labelNames: ['reason'],
      registers,
    }),
    roomErrors: new Counter({
      name: 'chainmap_sync_room_internal_errors_total',
      help: "Errors that escaped a room's timer, promise callback or event handler and failed that room (it reloads from storage), by where",
      labelNames: ['where'],
      registers,
    }),
    storageDamage: new Counter({
      name: 'chainmap_sync_storage_damage_total',
      help: 'Damage found in storage, by where: journal (a damaged stretch skipped at start), database (integrity check failed at start), board (loaded with edits missing)',
      labelNames: ['where'],
      registers,
    }),
    boardRequests: new Gauge({
      name: 'chainmap_sync_board_requests_running',
      help: 'Board requests (/snapshot, /model, /simulation) being answered, of --simulation-concurrency',
      registers,
    }),
    roomLoadFailures: new Counter({
      name: 'chainmap_sync_room_load_failures_total',
      help: 'Rooms whose stored state could not be loaded (connections closed with 1011; the log line has code room-load-failed)',
      registers,
    }),
    uncaughtErrors: new Counter({
      name: 'chainmap_sync_uncaught_errors_total',
      help: 'Errors no guard caught, which the process logged and survived, by kind (should stay 0)',
      labelNames: ['kind'],
      registers,
    }),
    storageWentBack: new Counter({
      name: 'chainmap_sync_storage_went_back_total',
      help: 'Rooms that found storage holding less than they had applied (lost commits) and were written back and reloaded',
      registers,
    }),
  }
}
