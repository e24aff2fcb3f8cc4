import type { Database } from 'better-sqlite3';

/**
 * The SQLite schema (the PostgreSQL one is `migrations-postgres.ts`), one step per version; `PRAGMA user_version` says which steps a file has had. Steps
 * are only ever appended: a released step is never edited. Times are integer milliseconds since
 * the epoch (compact, and they compare as numbers); event payloads keep ISO strings.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the event log, incidents with their windows, impact intervals, engine snapshots, monitor
  // runs, annotations and per-minute probe rollups.
  `
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    incident_id TEXT,
    data TEXT NOT NULL
  );
  CREATE INDEX events_by_incident ON events (incident_id, at) WHERE incident_id IS NOT NULL;
  CREATE INDEX events_by_type ON events (type, at);

  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    worst TEXT
  );
  CREATE INDEX incidents_by_start ON incidents (started_at);

  CREATE TABLE windows (
    started_at INTEGER PRIMARY KEY,
    incident_id TEXT,
    kind TEXT NOT NULL,
    ended_at INTEGER,
    expected_min_ms INTEGER NOT NULL,
    expected_max_ms INTEGER NOT NULL
  );
  CREATE INDEX windows_by_incident ON windows (incident_id);

  CREATE TABLE impact_intervals (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    service TEXT NOT NULL,
    status TEXT NOT NULL,
    previous TEXT NOT NULL,
    reason TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    ended_to TEXT,
    incident_id TEXT
  );
  CREATE INDEX impact_open ON impact_intervals (site_id, service) WHERE ended_at IS NULL;
  CREATE INDEX impact_by_incident ON impact_intervals (incident_id) WHERE incident_id IS NOT NULL;
  CREATE INDEX impact_by_end ON impact_intervals (ended_at) WHERE ended_at IS NOT NULL;

  CREATE TABLE core_snapshots (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    core TEXT NOT NULL
  );
  CREATE INDEX core_snapshots_by_at ON core_snapshots (at);

  CREATE TABLE monitor_runs (
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  );

  CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX annotations_by_incident ON annotations (incident_id, at);

  CREATE TABLE probes (
    id INTEGER PRIMARY KEY,
    node_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    UNIQUE (node_id, kind, target)
  );
  -- One row per probe per hour; the hour's minutes are packed in one blob (rollup-codec.ts).
  -- Keyed by hour first so new rows append at the end of the tree.
  CREATE TABLE probe_rollups (
    hour INTEGER NOT NULL,
    probe_id INTEGER NOT NULL,
    minutes BLOB NOT NULL,
    PRIMARY KEY (hour, probe_id)
  ) WITHOUT ROWID;
  `,
  // 2: impact reasons are a few sentences repeated at every window; keep each once.
  `
  CREATE TABLE reasons (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
  );
  ALTER TABLE impact_intervals ADD COLUMN reason_id INTEGER REFERENCES reasons (id);
  INSERT OR IGNORE INTO reasons (text) SELECT DISTINCT reason FROM impact_intervals WHERE reason IS NOT NULL;
  UPDATE impact_intervals SET reason_id = (SELECT id FROM reasons WHERE text = reason), reason = NULL WHERE reason IS NOT NULL;
  `,
  // 3: what the ShoreWare status database said: each voice switch's status changes per site (the
  // re-homing of a failover) and the source's own changes (unreachable during a window). Read by
  // switches.repository.ts.
  `
  CREATE TABLE switch_changes (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    incident_id TEXT,
    site_id TEXT NOT NULL,
    switch_name TEXT NOT NULL,
    from_code INTEGER,
    to_code INTEGER,
    hq_state TEXT NOT NULL
  );
  CREATE INDEX switch_changes_by_at ON switch_changes (at);
  CREATE INDEX switch_changes_by_switch ON switch_changes (site_id, switch_name, at);

  CREATE TABLE status_db_changes (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    incident_id TEXT,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    error TEXT,
    expected INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX status_db_changes_by_at ON status_db_changes (at);
  `,
  // 4: window kinds now say what happened (a failover ends with the secondary serving; a primary
  // that comes back with the secondary never serving was an outage). Failover and failback
  // windows recorded before cannot be told apart from such outages: they keep their kind, marked
  // as recorded under the old rules, and the ETA of open windows leaves them out.
  `
  ALTER TABLE windows ADD COLUMN legacy_kind INTEGER NOT NULL DEFAULT 0;
  UPDATE windows SET legacy_kind = 1 WHERE kind IN ('failover', 'failback');
  CREATE INDEX windows_by_end ON windows (kind, ended_at) WHERE ended_at IS NOT NULL;
  `,
  // 5: the writer's position, shared with the PostgreSQL schema. Each committed write carries the
  // next sequence number (a retried write that had in fact committed is recognised and skipped),
  // and the leadership term it was written under; events keep their term.
  `
  ALTER TABLE events ADD COLUMN term INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE store_writer (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    term INTEGER NOT NULL,
    seq INTEGER NOT NULL
  );
  INSERT INTO store_writer (id, term, seq) VALUES (1, 0, 0);
  `,
  // 6: impact reasons as facts (contract version 2's reason codes): the code, its parameters as
  // JSON and the name of the site it was said of, each kept once; the words are made when read, by
  // the one renderer. Intervals recorded before keep their sentence (reason_id → reasons.text) and
  // are read as they were.
  `
  CREATE TABLE reason_facts (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    params TEXT NOT NULL,
    site TEXT NOT NULL,
    UNIQUE (code, params, site)
  );
  ALTER TABLE impact_intervals ADD COLUMN reason_fact_id INTEGER REFERENCES reason_facts (id);
  `,
  // 7: alerts that reach the on-call (notify/). Every message of a thread (muted ones too), the
  // outbox of deliveries (one row per message and channel, written in the round's transaction and
  // sent after the commit, at least once), the alert model's open threads, and the maintenance
  // windows operators plan (alerts muted, incidents marked planned).
  `
  CREATE TABLE alert_messages (
    id TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    dedup_key TEXT NOT NULL,
    event TEXT NOT NULL,
    status TEXT NOT NULL,
    incident_id TEXT,
    muted TEXT,
    data TEXT NOT NULL
  );
  CREATE INDEX alert_messages_by_at ON alert_messages (at);
  CREATE INDEX alert_messages_by_incident ON alert_messages (incident_id, at) WHERE incident_id IS NOT NULL;

  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_at INTEGER NOT NULL,
    deadline_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at INTEGER,
    UNIQUE (message_id, channel_id)
  );
  CREATE INDEX outbox_open ON outbox (state, id) WHERE state <> 'sent';

  CREATE TABLE alert_memory (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL,
    data TEXT NOT NULL
  );

  CREATE TABLE maintenance_windows (
    id TEXT PRIMARY KEY,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX maintenance_by_end ON maintenance_windows (ends_at);
  `,
  // 8: accounts (server/src/auth/): users with their scrypt hashes, kiosk displays with the hash of
  // their token, sessions (the hash of the cookie's secret; kept here so that every instance on a
  // shared database sees a logout or a revocation), failed logins per name and per address, and one
  // row of shared auth state: the cookie signing key and a revision bumped by every revocation.
  `
  CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE kiosks (
    name TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_by_subject ON sessions (kind, subject);
  CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX login_failures_lookup ON login_failures (key, at);
  CREATE TABLE auth_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    cookie_key TEXT NOT NULL,
    revision INTEGER NOT NULL
  );
  `,
  // 9: an operator's note can be marked as a follow-up: the postmortem lists those as a checklist.
  `
  ALTER TABLE annotations ADD COLUMN follow_up INTEGER NOT NULL DEFAULT 0;
  `,
  // 10: leadership among instances sharing the store (`server/src/cluster/`): the leader's
  // heartbeat row (its term, the backend holding its lock, the live state it last published) and one
  // row per instance (its role and its own view). Used on PostgreSQL; kept on SQLite for one schema.
  `
  CREATE TABLE cluster_leader (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    term INTEGER NOT NULL,
    instance TEXT NOT NULL,
    pid INTEGER,
    heartbeat_at INTEGER NOT NULL,
    live_seq INTEGER,
    live_state TEXT
  );
  CREATE TABLE cluster_members (
    instance TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    term INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    view TEXT NOT NULL
  );
  `,
  // 11: the server cards' Windows services as the status database said over time (heapservicestatus):
  // each service's state changes per node, beside the switch changes of step 3, so replay and the
  // exports show them. Read by switches.repository.ts.
  `
  CREATE TABLE service_changes (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    incident_id TEXT,
    node_id TEXT NOT NULL,
    service_name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    from_state INTEGER,
    to_state INTEGER,
    hq_state TEXT NOT NULL
  );
  CREATE INDEX service_changes_by_at ON service_changes (at);
  CREATE INDEX service_changes_by_service ON service_changes (node_id, service_name, at);
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the steps a file has not had yet, each in its own transaction with its version. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
