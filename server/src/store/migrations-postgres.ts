import type { Sql } from './sql/sql.ts';

/**
 * The PostgreSQL schema, one step per version, recorded in `schema_migrations`. Steps are only ever
 * appended. It holds what the SQLite schema holds after its own steps (`migrations.ts`), in
 * PostgreSQL's types: BIGINT millisecond times and identity ids, bytea rollup blobs, and ids
 * compared byte-wise (`COLLATE "C"`) so that ordering matches SQLite's whatever the database's locale.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: everything SQLite has after its steps 1, 2 and 5 (the base schema, `reasons`, the writer's
  // position with `events.term`), in one step.
  `
  CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    type TEXT COLLATE "C" NOT NULL,
    incident_id TEXT COLLATE "C",
    data TEXT NOT NULL,
    term BIGINT NOT NULL DEFAULT 0
  );
  CREATE INDEX events_by_incident ON events (incident_id, at) WHERE incident_id IS NOT NULL;
  CREATE INDEX events_by_type ON events (type, at);

  CREATE TABLE incidents (
    id TEXT COLLATE "C" PRIMARY KEY,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    worst TEXT
  );
  CREATE INDEX incidents_by_start ON incidents (started_at);

  CREATE TABLE windows (
    started_at BIGINT PRIMARY KEY,
    incident_id TEXT COLLATE "C",
    kind TEXT COLLATE "C" NOT NULL,
    ended_at BIGINT,
    expected_min_ms BIGINT NOT NULL,
    expected_max_ms BIGINT NOT NULL
  );
  CREATE INDEX windows_by_incident ON windows (incident_id);

  CREATE TABLE reasons (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
  );

  CREATE TABLE impact_intervals (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id TEXT COLLATE "C" NOT NULL,
    service TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    previous TEXT COLLATE "C" NOT NULL,
    reason_id BIGINT REFERENCES reasons (id),
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    ended_to TEXT COLLATE "C",
    incident_id TEXT COLLATE "C"
  );
  CREATE INDEX impact_open ON impact_intervals (site_id, service) WHERE ended_at IS NULL;
  CREATE INDEX impact_by_incident ON impact_intervals (incident_id) WHERE incident_id IS NOT NULL;
  CREATE INDEX impact_by_end ON impact_intervals (ended_at) WHERE ended_at IS NOT NULL;

  CREATE TABLE core_snapshots (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    core TEXT NOT NULL
  );
  CREATE INDEX core_snapshots_by_at ON core_snapshots (at);

  CREATE TABLE monitor_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
  );

  CREATE TABLE annotations (
    id TEXT COLLATE "C" PRIMARY KEY,
    incident_id TEXT COLLATE "C" NOT NULL,
    at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX annotations_by_incident ON annotations (incident_id, at);

  CREATE TABLE probes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node_id TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    target TEXT COLLATE "C" NOT NULL,
    UNIQUE (node_id, kind, target)
  );
  -- One row per probe per hour, its minutes packed in one blob (rollup-codec.ts).
  CREATE TABLE probe_rollups (
    hour INTEGER NOT NULL,
    probe_id BIGINT NOT NULL,
    minutes BYTEA NOT NULL,
    PRIMARY KEY (hour, probe_id)
  );

  CREATE TABLE store_writer (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    term BIGINT NOT NULL,
    seq BIGINT NOT NULL
  );
  INSERT INTO store_writer (id, term, seq) VALUES (1, 0, 0);
  `,
  // 2: SQLite's step 3, what the ShoreWare status database said: each voice switch's status
  // changes per site and the source's own changes. Read by switches.repository.ts.
  `
  CREATE TABLE switch_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    incident_id TEXT COLLATE "C",
    site_id TEXT COLLATE "C" NOT NULL,
    switch_name TEXT COLLATE "C" NOT NULL,
    from_code INTEGER,
    to_code INTEGER,
    hq_state TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX switch_changes_by_at ON switch_changes (at);
  CREATE INDEX switch_changes_by_switch ON switch_changes (site_id, switch_name, at);

  CREATE TABLE status_db_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    incident_id TEXT COLLATE "C",
    from_status TEXT COLLATE "C" NOT NULL,
    to_status TEXT COLLATE "C" NOT NULL,
    error TEXT,
    expected INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX status_db_changes_by_at ON status_db_changes (at);
  `,
  // 3: SQLite's step 4. Window kinds now say what happened; failover and failback windows recorded
  // before (by a build of step 1 or 2) cannot be told apart from primary outages: they keep their
  // kind, marked as recorded under the old rules, and the ETA of open windows leaves them out.
  `
  ALTER TABLE windows ADD COLUMN legacy_kind INTEGER NOT NULL DEFAULT 0;
  UPDATE windows SET legacy_kind = 1 WHERE kind IN ('failover', 'failback');
  CREATE INDEX windows_by_end ON windows (kind, ended_at) WHERE ended_at IS NOT NULL;
  `,
  // 4: SQLite's step 6. Impact reasons as facts: code, parameters (JSON) and the site's name, each
  // kept once, worded when read; intervals recorded before keep their sentence.
  `
  CREATE TABLE reason_facts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT COLLATE "C" NOT NULL,
    params TEXT NOT NULL,
    site TEXT NOT NULL,
    UNIQUE (code, params, site)
  );
  ALTER TABLE impact_intervals ADD COLUMN reason_fact_id BIGINT REFERENCES reason_facts (id);
  `,
  // 5: SQLite's step 7, alerts that reach the on-call (notify/). Every message of a thread (muted ones too), the
  // outbox of deliveries (one row per message and channel, written in the round's transaction and
  // sent after the commit, at least once), the alert model's open threads, and the maintenance
  // windows operators plan (alerts muted, incidents marked planned).
  `
  CREATE TABLE alert_messages (
    id TEXT COLLATE "C" PRIMARY KEY,
    at BIGINT NOT NULL,
    dedup_key TEXT COLLATE "C" NOT NULL,
    event TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    incident_id TEXT COLLATE "C",
    muted TEXT COLLATE "C",
    data TEXT NOT NULL
  );
  CREATE INDEX alert_messages_by_at ON alert_messages (at);
  CREATE INDEX alert_messages_by_incident ON alert_messages (incident_id, at) WHERE incident_id IS NOT NULL;

  CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id TEXT COLLATE "C" NOT NULL,
    channel_id TEXT COLLATE "C" NOT NULL,
    state TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    next_at BIGINT NOT NULL,
    deadline_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at BIGINT,
    UNIQUE (message_id, channel_id)
  );
  CREATE INDEX outbox_open ON outbox (state, id) WHERE state <> 'sent';

  CREATE TABLE alert_memory (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    at BIGINT NOT NULL,
    data TEXT NOT NULL
  );

  CREATE TABLE maintenance_windows (
    id TEXT COLLATE "C" PRIMARY KEY,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX maintenance_by_end ON maintenance_windows (ends_at);
  `,
  // 6: SQLite's step 8, accounts: users, kiosk displays, sessions, failed logins and the shared auth
  // state (cookie signing key, revocation revision). Sessions live here, not in one instance's
  // memory, so that every instance on this schema honours a logout or a revocation.
  `
  CREATE TABLE users (
    name TEXT COLLATE "C" PRIMARY KEY,
    role TEXT COLLATE "C" NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE kiosks (
    name TEXT COLLATE "C" PRIMARY KEY,
    token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT
  );
  CREATE TABLE sessions (
    id TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL,
    subject TEXT COLLATE "C" NOT NULL,
    role TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_by_subject ON sessions (kind, subject);
  CREATE TABLE login_failures (
    key TEXT COLLATE "C" NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX login_failures_lookup ON login_failures (key, at);
  CREATE TABLE auth_state (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    cookie_key TEXT NOT NULL,
    revision BIGINT NOT NULL
  );
  `,
  // 7: SQLite's step 9: an operator's note can be marked as a follow-up (the postmortem's checklist).
  `
  ALTER TABLE annotations ADD COLUMN follow_up INTEGER NOT NULL DEFAULT 0;
  `,
  // 8: leadership among instances sharing the store (`server/src/cluster/`): the leader's
  // heartbeat row (its term, the backend holding its lock, the live state it last published) and one
  // row per instance (its role and its own view). Used on PostgreSQL; kept on SQLite for one schema.
  `
  CREATE TABLE cluster_leader (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    term BIGINT NOT NULL,
    instance TEXT COLLATE "C" NOT NULL,
    pid INTEGER,
    heartbeat_at BIGINT NOT NULL,
    live_seq BIGINT,
    live_state TEXT
  );
  CREATE TABLE cluster_members (
    instance TEXT COLLATE "C" PRIMARY KEY,
    role TEXT COLLATE "C" NOT NULL,
    term BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    view TEXT NOT NULL
  );
  `,
  // 9: SQLite's step 11: each server service's state changes per node, read from the status database.
  `
  CREATE TABLE service_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    incident_id TEXT COLLATE "C",
    node_id TEXT COLLATE "C" NOT NULL,
    service_name TEXT COLLATE "C" NOT NULL,
    display_name TEXT NOT NULL,
    from_state INTEGER,
    to_state INTEGER,
    hq_state TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX service_changes_by_at ON service_changes (at);
  CREATE INDEX service_changes_by_service ON service_changes (node_id, service_name, at);
  `,
];

/** The PostgreSQL schema version this build writes. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** Advisory lock keys (two-int form): the first says "hqwatch", the second is the schema's hash. */
export const LOCK_CLASS = { migrate: 0x68717731, writer: 0x68717732, leader: 0x68717733 } as const;

/** The version a schema has, 0 when it has none yet. */
export async function postgresSchemaVersion(sql: Sql): Promise<number> {
  const exists = await sql.get<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists?.t) return 0;
  const row = await sql.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return row?.v ?? 0;
}

/**
 * Applies the steps the schema has not had yet (up to `upTo`, this build's version unless a test
 * wants a schema as an older build left it), all in one transaction under an advisory lock, so two
 * instances starting at once migrate once. Returns the version found before; the caller refuses a
 * newer one before calling this.
 */
export async function migratePostgres(sql: Sql, upTo = POSTGRES_SCHEMA_VERSION): Promise<number> {
  return sql.tx(async (tx) => {
    await tx.run('SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))', [LOCK_CLASS.migrate]);
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const current = await postgresSchemaVersion(tx);
    for (let version = current + 1; version <= upTo; version++) {
      await tx.run(POSTGRES_MIGRATIONS[version - 1]!);
      await tx.run('INSERT INTO schema_migrations (version) VALUES (?)', [version]);
    }
    return current;
  });
}
