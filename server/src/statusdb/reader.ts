import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { ServerRow, StatusDbReading, StatusDbSchemaNames, SwitchRow } from '@hqwatch/shared';
import { selectRows } from './connection.ts';
import { servicesSql, switchesSql } from './queries.ts';

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value).trim() || null);
const int = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
};

/**
 * One read: the switch rows (servers apart, by type) and the services of the servers. Rows with
 * no name are left out: they cannot be shown or matched.
 */
export async function readStatus(
  conn: Connection,
  statusDatabase: string,
  schema: StatusDbSchemaNames,
  opts: { withSites: boolean },
): Promise<StatusDbReading> {
  const rows = await selectRows(conn, switchesSql(statusDatabase, schema, opts.withSites));
  const serverTypes = new Set(schema.serverTypes.map((t) => t.toLowerCase()));
  const switches: SwitchRow[] = [];
  const servers: (ServerRow & { serverId: number })[] = [];
  for (const row of rows) {
    const name = text(row.name);
    if (name === null) continue;
    const address = text(row.address) ?? text(row.statusAddress);
    const type = text(row.type) ?? '';
    if (serverTypes.has(type.toLowerCase())) servers.push({ name, address, type, serverId: int(row.serverId), services: [] });
    else switches.push({ name, address, siteName: text(row.siteName), code: int(row.code) });
  }
  if (servers.length) {
    const byId = new Map(servers.map((s) => [s.serverId, s]));
    for (const row of (await selectRows(conn, servicesSql(statusDatabase, schema))) as RowDataPacket[]) {
      const server = byId.get(int(row.serverId));
      if (!server) continue;
      const name = text(row.name) ?? '';
      server.services.push({ name, displayName: text(row.displayName) ?? name, state: int(row.state) });
    }
    for (const s of servers) s.services.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }
  return { switches, servers: servers.map(({ serverId: _id, ...server }) => server) };
}
