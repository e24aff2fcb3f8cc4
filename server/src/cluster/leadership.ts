import type { Client } from 'pg';
import type { Logger } from '../logger.ts';
import { LOCK_CLASS } from '../store/migrations-postgres.ts';
import { clientConfig, type PgModule, type PostgresPoolOptions } from '../store/sql/postgres.ts';

export type Role = 'leader' | 'standby' | 'web';

/** What `/api/health`, `/metrics` and the dashboard say of leadership. */
export interface LeadershipStatus {
  instance: string;
  role: Role;
  /** This instance's term while it leads; else the leader's term as last read (0: none known). */
  term: number;
  leader: string | null;
  /** The leader's last heartbeat (ISO, database clock), as last read. */
  heartbeatAt: string | null;
  /** When this instance last renewed (leader) or read (standby) the heartbeat row (ISO, local clock). */
  checkedAt: string | null;
  /** Why leadership cannot be checked now (the database away), or null. */
  problem: string | null;
}

export interface LeadershipOptions {
  pg: PgModule;
  connection: PostgresPoolOptions;
  instance: string;
  heartbeatMs: number;
  leaseMs: number;
  log: Logger;
  /**
   * Called once this instance holds the lock and has recorded its new term, before it acts as
   * leader; a rejection gives the lock back (and another turn tries again).
   */
  onLead(term: number): Promise<void>;
  /** Called at once when this instance stops leading: it must stop recording and notifying. */
  onStandDown(reason: string): void;
  /** This instance's own view for its member row (a standby's vantage point). */
  view(): unknown;
  /** The live state the leader publishes for the other instances (JSON and its seq), or null. */
  liveState(): { seq: number; json: string } | null;
}

/** The database clock in milliseconds, as the store's columns keep times. */
const DB_NOW = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Leadership over a PostgreSQL store: a session advisory lock (`LOCK_CLASS.leader`, keyed by the
 * schema) held on a connection of its own, plus a heartbeat row (`cluster_leader`) with the term.
 * Taking the lock bumps the term in `store_writer` in the same transaction that writes the row, so
 * from that commit on every write of an older term is refused (`claimWrite`): the fencing token.
 *
 * - The leader renews the row every heartbeat; if it cannot for most of a lease (its connection
 *   lost, the database away, the row taken by a newer term) it stands down at once and drops its
 *   connection, so its lock goes with it.
 * - A standby tries the lock every heartbeat. A leader that died with its process (kill -9) closes
 *   its socket, PostgreSQL ends its session and frees the lock: the next try wins. A leader whose
 *   host vanished leaves a session PostgreSQL still believes in: once its heartbeat is older than
 *   the lease, a standby ends that session (`pg_terminate_backend`) and takes the lock.
 * - Server-side TCP keepalives on the lock's connection shorten PostgreSQL's own detection too.
 */
export function createLeadership(opts: LeadershipOptions) {
  const { pg, log, instance, heartbeatMs, leaseMs } = opts;
  let client: Client | null = null;
  let leading = false;
  let term = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRenewedMono = 0;
  let turn: Promise<void> = Promise.resolve();
  const status: LeadershipStatus = { instance, role: 'standby', term: 0, leader: null, heartbeatAt: null, checkedAt: null, problem: null };
  const lockArgs = [LOCK_CLASS.leader, opts.connection.schema] as const;
  /** A renewal that has not succeeded for this long makes the leader stand down (well before a standby may replace it). */
  const standDownAfterMs = Math.max(heartbeatMs * 2, leaseMs - 2 * heartbeatMs);

  async function connect(): Promise<Client> {
    if (client) return client;
    const next = new pg.Client({ ...clientConfig(pg, opts.connection), query_timeout: Math.max(1_000, heartbeatMs * 2) });
    next.on('error', (err) => dropConnection(next, `lost the leadership connection (${message(err)})`));
    next.on('end', () => dropConnection(next, 'the leadership connection closed'));
    await next.connect();
    // PostgreSQL notices a vanished peer within seconds rather than hours.
    const idle = Math.max(1, Math.round(heartbeatMs / 1000));
    await next.query(
      `SET tcp_keepalives_idle = ${idle}; SET tcp_keepalives_interval = ${idle}; SET tcp_keepalives_count = 3; SET tcp_user_timeout = ${leaseMs}`,
    );
    client = next;
    return next;
  }

  function dropConnection(which: Client, reason: string): void {
    if (which !== client) return;
    client = null;
    void which.end().catch(() => undefined);
    if (leading) standDown(reason);
  }

  function standDown(reason: string): void {
    if (!leading) return;
    leading = false;
    status.role = 'standby';
    log.warn({ instance, term, reason }, 'standing down: no longer the leader');
    try {
      opts.onStandDown(reason);
    } catch (err) {
      log.error({ err: message(err) }, 'stand-down failed');
    }
    // The lock goes with the connection: another instance may take over at once.
    const held = client;
    client = null;
    void held?.end().catch(() => undefined);
  }

  async function member(c: Client, view: unknown): Promise<void> {
    await c.query(
      `INSERT INTO cluster_members (instance, role, term, heartbeat_at, view) VALUES ($1, $2, $3, ${DB_NOW}, $4)
       ON CONFLICT (instance) DO UPDATE SET role = excluded.role, term = excluded.term, heartbeat_at = excluded.heartbeat_at, view = excluded.view`,
      [instance, leading ? 'leader' : 'standby', status.term, JSON.stringify(view)],
    );
  }

  async function readLeader(c: Client) {
    const row = await c.query<{ term: string; instance: string; pid: number | null; heartbeat_at: string; age: string }>(
      `SELECT term, instance, pid, heartbeat_at, ${DB_NOW} - heartbeat_at AS age FROM cluster_leader WHERE id = 1`,
    );
    const leader = row.rows[0];
    if (leader) {
      status.leader = leader.instance;
      status.heartbeatAt = new Date(Number(leader.heartbeat_at)).toISOString();
      if (!leading) status.term = Number(leader.term);
    }
    return leader;
  }

  /** The lock is ours: a new term, recorded with the heartbeat row in one transaction. */
  async function takeTerm(c: Client): Promise<number> {
    await c.query('BEGIN');
    try {
      const bumped = await c.query<{ term: string }>('UPDATE store_writer SET term = term + 1 WHERE id = 1 RETURNING term');
      const next = Number(bumped.rows[0]!.term);
      await c.query(
        `INSERT INTO cluster_leader (id, term, instance, pid, heartbeat_at) VALUES (1, $1, $2, pg_backend_pid(), ${DB_NOW})
         ON CONFLICT (id) DO UPDATE SET term = excluded.term, instance = excluded.instance, pid = excluded.pid, heartbeat_at = excluded.heartbeat_at`,
        [next, instance],
      );
      await c.query('COMMIT');
      return next;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async function asLeader(c: Client): Promise<void> {
    const live = opts.liveState();
    const renewed = await c.query(
      `UPDATE cluster_leader SET heartbeat_at = ${DB_NOW}, live_seq = coalesce($3, live_seq), live_state = coalesce($4, live_state)
       WHERE id = 1 AND term = $1 AND instance = $2`,
      [term, instance, live?.seq ?? null, live?.json ?? null],
    );
    if (renewed.rowCount === 0) {
      standDown('a newer term holds the heartbeat row');
      return;
    }
    lastRenewedMono = performance.now();
    status.heartbeatAt = new Date().toISOString();
    status.leader = instance;
  }

  async function asStandby(c: Client): Promise<void> {
    const got = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [...lockArgs]);
    if (!got.rows[0]?.ok) {
      const leader = await readLeader(c);
      if (leader && Number(leader.age) > leaseMs && leader.pid !== null && leader.instance !== instance) {
        log.warn(
          { leader: leader.instance, term: Number(leader.term), silentMs: Number(leader.age) },
          'leader silent past its lease; ending its session',
        );
        await c.query('SELECT pg_terminate_backend($1)', [leader.pid]);
      }
      return;
    }
    let next: number;
    try {
      next = await takeTerm(c);
    } catch (err) {
      await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [...lockArgs]).catch(() => undefined);
      throw err;
    }
    term = next;
    leading = true;
    lastRenewedMono = performance.now();
    Object.assign(status, { role: 'leader', term, leader: instance, heartbeatAt: new Date().toISOString() });
    log.info({ instance, term }, 'leading');
    try {
      await opts.onLead(term);
    } catch (err) {
      log.error({ err: message(err) }, 'could not take over; giving the lock back');
      standDown(`take-over failed: ${message(err)}`);
    }
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    try {
      const c = await connect();
      if (leading) await asLeader(c);
      else await asStandby(c);
      await member(c, opts.view()).catch((err: unknown) => log.debug?.({ err: message(err) }, 'member row not written'));
      status.checkedAt = new Date().toISOString();
      status.problem = null;
    } catch (err) {
      status.problem = `cannot reach the history database for leadership (${message(err)})`;
      if (client) dropConnection(client, status.problem);
    }
    if (leading && performance.now() - lastRenewedMono > standDownAfterMs) standDown(`heartbeat not renewed for ${standDownAfterMs} ms`);
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      turn = tick().finally(schedule);
    }, heartbeatMs);
    timer.unref();
  }

  return {
    /** Takes part: the first try is made now (a lone instance leads before its first round). */
    async start(): Promise<void> {
      turn = tick();
      await turn;
      schedule();
    },
    leading: (): boolean => leading,
    term: (): number => term,
    status: (): LeadershipStatus => ({ ...status }),
    /** Leaves: stands down (the lock is released with the connection) and stops trying. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await turn.catch(() => undefined);
      if (leading) {
        leading = false;
        status.role = 'standby';
        try {
          opts.onStandDown('stopping');
        } catch {
          // stopping anyway
        }
      }
      const held = client;
      client = null;
      await held?.end().catch(() => undefined);
    },
  };
}

export type Leadership = ReturnType<typeof createLeadership>;
