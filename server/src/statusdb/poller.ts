import type { Connection } from 'mysql2/promise';
import {
  deriveServiceEvents,
  deriveSwitchEvents,
  describeStatusDbTarget,
  nodeIds,
  nodeServiceStates,
  parseStatusDbUrl,
  PRIMARY_ID,
  SECONDARY_ID,
  servicesByNode,
  STATUS_DB_ACTIVE_HQ,
  summarizeSwitches,
  switchesBySite,
  type HqView,
  type HqwatchConfig,
  type IncidentRef,
  type NodeServiceStates,
  type ServerRow,
  type ServerServiceView,
  type SiteSwitchCodes,
  type SiteSwitches,
  type StatusDbConfig,
  type StatusDbSnapshot,
  type StatusDbStatus,
  type StatusDbTarget,
  type StatusDbView,
  type SwitchHistoryEvent,
} from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { Clock } from '../monitor/clock.ts';
import { createScheduler, type Scheduler } from '../monitor/scheduler.ts';
import type { SwitchHistoryStore } from '../store/store.ts';
import { connect, describeError, formatSeconds, killThread, StatusDbError, withDeadline, type ConnectTarget } from './connection.ts';
import { readStatus } from './reader.ts';
import { hostProblem } from './words.ts';

export interface StatusDbPollerDeps {
  config: HqwatchConfig;
  /** From HQWATCH_STATUSDB_PASSWORD; empty when unset. */
  password?: string;
  /** The monitor's view of HQ and the open incident, read at each poll; null while the monitor is being built. */
  live: () => { hq: HqView; incident: IncidentRef | null } | null;
  clock: Clock;
  log: Logger;
  history?: SwitchHistoryStore;
}

export interface StatusDbPoller {
  start(): void;
  /** Compares the next read with what history holds (another instance may have recorded since). */
  rebase(): void;
  stop(): Promise<void>;
  /** What the LiveState shows of the database now; null when none is configured. Never waits. */
  snapshot(): StatusDbSnapshot | null;
  /** One read now, resolved once what it changed is recorded (tests; the scheduler calls it on its interval). */
  pollNow(): Promise<void>;
  updateConfig(config: HqwatchConfig): void;
}

/** Several intervals without a finished read make what is shown stale even if no read failed yet. */
const STALE_AFTER_INTERVALS = 2;

/**
 * Reads the ShoreWare status database on its own interval, apart from the probe rounds: a read
 * never delays a round, and a round only takes the last snapshot. A read that does not answer
 * within `queryTimeout` is abandoned (and killed on the server), leaving the last figures shown
 * as stale, never as switches down.
 */
export function createStatusDbPoller(deps: StatusDbPollerDeps): StatusDbPoller {
  const { clock, log } = deps;
  let config = deps.config;
  const iso = () => new Date(clock.now()).toISOString();
  let conn: { connection: Connection; host: string } | null = null;
  let scheduler: Scheduler | null = null;
  let inFlight: Promise<void> | null = null;
  let stopped = true;
  let killing = false;

  // What was last read, kept while the source is stale or unreachable.
  let codes: SiteSwitchCodes = {};
  let since: Record<string, string> = {};
  let missing: Record<string, string[]> = {};
  let servers: ServerRow[] = [];
  /** The service states last recorded per node: what the next read's changes are compared with. */
  let serviceStates: NodeServiceStates = {};
  let source: Omit<StatusDbView, 'target' | 'intervalMs'> = { status: 'starting', since: iso(), readAt: null };
  let lastReadMono: number | null = null;
  let resumed = false;

  const db = (): StatusDbConfig | undefined => config.statusDb;
  const live = () => deps.live() ?? { hq: { state: 'starting' as const, since: iso(), activeAddress: null, window: null }, incident: null };
  const targetOf = (c: StatusDbConfig): StatusDbTarget | null => {
    const parsed = parseStatusDbUrl(c.url);
    return parsed.ok ? parsed.target : null;
  };

  /** The history writes of this poller so far: `pollNow` and `stop` wait for them, a read never does. */
  let recorded: Promise<void> = Promise.resolve();
  function record(events: SwitchHistoryEvent[]): void {
    const history = deps.history;
    if (!events.length || !history) return;
    // Queued in order behind the store's other writes; resolves once committed or safely queued, never rejects.
    recorded = Promise.all([recorded, history.record(events)]).then(() => undefined);
  }

  function setSource(status: StatusDbStatus, at: string, extra: { error?: string; expected?: boolean; readAt?: string } = {}): void {
    const prev = source;
    const next: typeof source = { status, since: prev.status === status ? prev.since : at, readAt: extra.readAt ?? prev.readAt };
    if (extra.error !== undefined) next.error = extra.error;
    if (extra.expected) next.expected = true;
    source = next;
    if (prev.status === status && prev.error === next.error) return;
    if (prev.status !== status) {
      const event: SwitchHistoryEvent = { type: 'status-db', at, incidentId: live().incident?.id ?? null, from: prev.status, to: status };
      if (next.error !== undefined) event.error = next.error;
      if (next.expected) event.expected = true;
      record([event]);
    }
    const fields = { status, error: next.error, expected: next.expected };
    if (status === 'ok') log.info(fields, 'status database read');
    else log.warn(fields, 'status database not read');
  }

  function closeConnection(): void {
    conn?.connection.destroy();
    conn = null;
  }

  function credentials(target: StatusDbTarget, host: string): ConnectTarget {
    return { host, port: target.port, user: target.user, password: deps.password ?? '', database: target.database };
  }

  async function poll(): Promise<void> {
    const c = db();
    const target = c && targetOf(c);
    if (!c || !target) return;
    const { hq, incident } = live();
    const where = describeStatusDbTarget(target, hq.activeAddress);
    // A window is when HQ services, this database among them, are down as the vendor describes.
    const expected = hq.window !== null;
    let host = target.host;
    if (host === STATUS_DB_ACTIVE_HQ) {
      if (!hq.activeAddress) {
        closeConnection();
        return setSource('unreachable', iso(), { error: hostProblem(hq.state), expected });
      }
      host = hq.activeAddress;
    }
    if (conn && conn.host !== host) closeConnection();
    const login = credentials(target, host);
    try {
      if (!conn) conn = { connection: await connect(login, c.connectTimeout, where), host };
    } catch (err) {
      return setSource('unreachable', iso(), { error: describeError(err, where).message, expected });
    }
    const { connection } = conn;
    const withSites = config.sites.some((site) => !site.switches);
    try {
      const reading = await withDeadline(readStatus(connection, target.database, c.schema, { withSites }), c.queryTimeout, () => {
        const threadId = connection.threadId;
        closeConnection();
        void endOnServer(login, threadId, c.connectTimeout);
        return new StatusDbError(
          `the read did not answer within ${formatSeconds(c.queryTimeout)} (a table lock or a slow server)`,
          'stale',
          true,
        );
      });
      const now = iso();
      const mapped = switchesBySite(config.sites, reading.switches);
      const next: SiteSwitchCodes = {};
      for (const [siteId, m] of mapped) next[siteId] = m.codes;
      if (!resumed) {
        // After a restart only real changes are recorded: compare with what history last had.
        resumed = true;
        const [stored, storedServices] = await Promise.all([deps.history?.latest(), deps.history?.latestServices()]);
        if (stored) ({ codes, since } = { codes: stored.codes, since: { ...stored.since } });
        if (storedServices) serviceStates = storedServices;
      }
      const ctx = { incidentId: incident?.id ?? null, hqState: hq.state };
      const events = deriveSwitchEvents(codes, next, now, ctx);
      for (const e of events) since[e.siteId] = now;
      for (const siteId of Object.keys(next)) since[siteId] ??= now;
      codes = next;
      missing = Object.fromEntries([...mapped].map(([siteId, m]) => [siteId, m.missing]));
      servers = reading.servers;
      // The services as the server cards show them now, so replay shows the cards as they were.
      const nextServices = nodeServiceStates(servicesOnNodes(c, hq.activeAddress));
      const serviceEvents = deriveServiceEvents(serviceStates, nextServices, now, ctx);
      serviceStates = nextServices;
      lastReadMono = clock.monotonic();
      record([...events, ...serviceEvents]);
      setSource('ok', now, { readAt: now });
    } catch (err) {
      const failure = describeError(err, where);
      closeConnection();
      setSource(failure.kind, iso(), { error: failure.message, expected: expected && failure.kind === 'unreachable' });
    }
  }

  /** Kills an abandoned read on the server, one at a time; failing that only costs a server thread. */
  async function endOnServer(login: ConnectTarget, threadId: number, timeoutMs: number): Promise<void> {
    if (killing) return;
    killing = true;
    try {
      await killThread(login, threadId, timeoutMs);
    } catch (err) {
      log.debug({ err: describeError(err, login.host).message }, 'abandoned status database read not killed');
    } finally {
      killing = false;
    }
  }

  function pollOnce(): Promise<void> {
    inFlight ??= poll()
      .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'status database poll failed'))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  function startScheduler(): void {
    const c = db();
    if (!c || stopped) return;
    scheduler = createScheduler({ intervalMs: c.interval, now: () => clock.monotonic(), onRound: () => pollOnce() });
    scheduler.start();
  }

  /** The services of the last read per node, as the server cards show them. */
  function servicesOnNodes(c: StatusDbConfig, activeAddress: string | null): Record<string, ServerServiceView[]> {
    const activeHqNodeId = activeAddress === config.headquarters.secondary.address ? SECONDARY_ID : activeAddress ? PRIMARY_ID : null;
    const nodes = nodeIds(config).map((id) => ({ id, address: addressOf(config, id) }));
    return servicesByNode(nodes, servers, { hqType: c.schema.serverTypes[0] ?? 'SGHQ', activeHqNodeId });
  }

  function view(c: StatusDbConfig, target: StatusDbTarget): StatusDbView {
    const out: StatusDbView = { ...source, target: describeStatusDbTarget(target, live().hq.activeAddress), intervalMs: c.interval };
    const limit = STALE_AFTER_INTERVALS * c.interval + c.connectTimeout + c.queryTimeout;
    // A read can only be this late if something below the deadlines is wedged: say so rather than show old figures as fresh.
    if (out.status === 'ok' && lastReadMono !== null && clock.monotonic() - lastReadMono > limit) {
      out.status = 'stale';
      out.error = `no read has finished for ${formatSeconds(Math.round(clock.monotonic() - lastReadMono))}`;
    }
    return out;
  }

  return {
    rebase() {
      resumed = false;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      startScheduler();
    },
    async stop() {
      stopped = true;
      await scheduler?.stop();
      scheduler = null;
      await inFlight;
      closeConnection();
      await recorded;
    },
    snapshot() {
      const c = db();
      const target = c && targetOf(c);
      if (!c || !target) return null;
      const sites: Record<string, SiteSwitches> = {};
      if (source.readAt !== null)
        for (const site of config.sites)
          sites[site.id] = summarizeSwitches(codes[site.id] ?? {}, since[site.id] ?? source.readAt, missing[site.id]);
      return { source: view(c, target), sites, servers: servicesOnNodes(c, live().hq.activeAddress) };
    },
    async pollNow() {
      await pollOnce();
      await recorded;
    },
    updateConfig(next) {
      const before = config.statusDb;
      config = next;
      const after = next.statusDb;
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      closeConnection();
      void scheduler?.stop();
      scheduler = null;
      if (!after) {
        source = { status: 'starting', since: iso(), readAt: null };
        codes = {};
        servers = [];
        serviceStates = {};
        lastReadMono = null;
      }
      startScheduler();
    },
  };
}

function addressOf(config: HqwatchConfig, id: string): string {
  if (id === PRIMARY_ID) return config.headquarters.primary.address;
  if (id === SECONDARY_ID) return config.headquarters.secondary.address;
  return config.servers.find((s) => s.id === id)?.address ?? '';
}
