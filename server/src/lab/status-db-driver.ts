import type { Connection } from 'mysql2/promise';
import { describeStatusDbTarget, parseStatusDbUrl } from '@hqwatch/shared';
import { isLoopback } from './addresses.ts';
import type { Lab } from './lab.ts';
import { createStatusSchema, statusDbNames, statusRows, type StatusDbNames } from './status-db-schema.ts';
import { labServers, labSwitches, planLabStatus, type PlanMemory } from './status-db-plan.ts';

export interface StatusDbDriverOptions {
  lab: Lab;
  /** `mysql://USER@HOST[:PORT]/DATABASE` of a database on this machine. */
  url: string;
  password?: string;
  /** Re-homing takes `rehomeEveryMs` (real-world) per switch, divided by the scenario's speed. */
  speed: number;
  rehomeEveryMs?: number;
  /** How often the rows are brought in line with the lab's nodes; 0: only when `tick()` is called (tests). */
  tickMs?: number;
  /** Wall clock in ms; tests step it to re-home switches one at a time. */
  now?: () => number;
  log?: (line: string) => void;
}

export interface StatusDbDriver {
  names: StatusDbNames;
  /** Where the monitor reads what the driver writes, with the configuration database's name. */
  url: string;
  /** Brings the rows in line with the nodes now (tests; the timer does it every tick). */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** Real-world time between two switches of one server re-homing after a failover. */
export const REHOME_EVERY_MS = 60_000;

/**
 * Creates a `shorewarestatus` database (and its `shoreware` configuration database) for the lab's
 * topology and keeps it in line with the simulated servers as a scenario plays: switches at 490
 * while their managing server is in a window or down, back to 110 one by one under whichever
 * server serves. Only a database on this machine is written.
 */
export async function startStatusDbDriver(opts: StatusDbDriverOptions): Promise<StatusDbDriver> {
  const parsed = parseStatusDbUrl(opts.url);
  if (!parsed.ok) throw new Error(`--status-db: ${parsed.message}`);
  const target = parsed.target;
  if (!(isLoopback(target.host) || target.host === 'localhost'))
    throw new Error('--status-db: the lab only writes to a database on this machine (127.0.0.0/8 or localhost)');
  const names = statusDbNames(target.database);
  const log = opts.log ?? (() => undefined);
  let conn: Connection;
  try {
    // Loaded only with --status-db: mysql2 costs ~17 MB of memory.
    const { createConnection } = await import('mysql2/promise');
    conn = await createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: opts.password ?? '',
      connectTimeout: 5_000,
    });
  } catch (err) {
    throw new Error(`--status-db: cannot connect to ${describeStatusDbTarget(target)}: ${(err as Error).message}`, { cause: err });
  }
  conn.on('error', () => undefined);
  const topology = opts.lab.topology;
  const switches = labSwitches(topology);
  const servers = labServers(topology);
  try {
    await createStatusSchema(conn, names);
    for (const [i, site] of topology.sites.entries()) await statusRows.site(conn, names, i + 1, site.name);
    for (const sw of switches) {
      const address = `192.0.2.${sw.id % 250}`;
      await statusRows.switch(conn, names, {
        id: sw.id,
        name: sw.name,
        address,
        type: 'SG90',
        siteId: sw.siteRow,
        serverId: null,
        code: 110,
      });
    }
    for (const s of servers) {
      const node = topology.nodes.find((n) => n.id === s.nodeId)!;
      const address = opts.lab.endpoints(s.nodeId).address;
      await statusRows.switch(conn, names, {
        id: s.switchId,
        name: node.name,
        address,
        type: s.type,
        siteId: null,
        serverId: s.serverId,
        code: 110,
      });
      for (const svc of s.services) await statusRows.service(conn, names, s.serverId, svc.name, svc.displayName, 4);
    }
  } catch (err) {
    conn.destroy();
    throw new Error(`--status-db: cannot create the lab's tables: ${(err as Error).message}`, { cause: err });
  }

  const memory: PlanMemory = new Map();
  const written = new Map<string, number>();
  const stepMs = (opts.rehomeEveryMs ?? REHOME_EVERY_MS) / opts.speed;
  let busy: Promise<void> | null = null;
  let closed = false;

  async function apply(): Promise<void> {
    const nodes = new Map(opts.lab.states().map((n) => [n.id, n]));
    const plan = planLabStatus(switches, servers, nodes, memory, (opts.now ?? Date.now)(), stepMs);
    const switchWrites = [...plan.switches].filter(([id, code]) => written.get(`sw/${id}`) !== code);
    const serviceWrites = [...plan.services].filter(([key, state]) => written.get(`svc/${key}`) !== state);
    if (switchWrites.length === 0 && serviceWrites.length === 0) return;
    // One plan is one change: a reader never sees half of it (some of a site's switches lost, not yet the rest).
    await conn.beginTransaction();
    try {
      for (const [id, code] of switchWrites) await statusRows.code(conn, names, id, code);
      for (const [key, state] of serviceWrites) {
        const [serverId, name] = key.split('/') as [string, string];
        const server = servers.find((s) => s.serverId === Number(serverId))!;
        const svc = server.services.find((s) => s.name === name)!;
        await statusRows.service(conn, names, server.serverId, name, svc.displayName, state);
      }
      await conn.commit();
    } catch (err) {
      await conn.rollback().catch(() => undefined);
      throw err;
    }
    for (const [id, code] of switchWrites) written.set(`sw/${id}`, code);
    for (const [key, state] of serviceWrites) written.set(`svc/${key}`, state);
  }

  function tick(): Promise<void> {
    if (closed) return Promise.resolve();
    busy ??= apply()
      .catch((err: unknown) => log(`lab: status database not written: ${(err as Error).message}`))
      .finally(() => (busy = null));
    return busy;
  }

  await tick();
  const tickMs = opts.tickMs ?? 100;
  const timer = tickMs > 0 ? setInterval(() => void tick(), tickMs) : undefined;
  log(`lab: driving the status database ${describeStatusDbTarget(target)} (configuration database ${names.config})`);
  return {
    names,
    url: opts.url,
    tick,
    async close() {
      closed = true;
      clearInterval(timer);
      await busy;
      await conn.end().catch(() => conn.destroy());
    },
  };
}
