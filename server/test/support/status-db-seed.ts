import type { Connection } from 'mysql2/promise';
import { createStatusSchema, statusRows, type StatusDbNames } from '../../src/lab/status-db-schema.ts';

/**
 * The status database the statusdb tests read: Headquarters matched by its name (2 switches in
 * service), Boston by its list (sw-bos-1 lost, sw-bos-2 in service); the HQ primary (TMS running,
 * Voice Mail stopped) and the Boston DVS (Distributed Routing running) as server rows.
 */
export async function seedStatusDb(conn: Connection, names: StatusDbNames, at: { primary: string; dvs: string }): Promise<void> {
  await createStatusSchema(conn, names);
  await statusRows.site(conn, names, 1, 'Headquarters');
  await statusRows.site(conn, names, 2, 'Boston');
  const sw = (
    id: number,
    name: string,
    address: string,
    siteId: number | null,
    code: number,
    type = 'SG90',
    serverId: number | null = null,
  ) => statusRows.switch(conn, names, { id, name, address, type, siteId, serverId, code });
  await sw(11, 'sw-hq-1', '192.0.2.11', 1, 110);
  await sw(12, 'sw-hq-2', '192.0.2.12', 1, 110);
  await sw(21, 'sw-bos-1', '192.0.2.21', 2, 490);
  await sw(22, 'sw-bos-2', '192.0.2.22', 2, 110);
  await sw(1, 'HQSERVER', at.primary, null, 110, 'SGHQ', 1);
  await sw(2, 'BOSDVS', at.dvs, null, 110, 'SGDVS', 2);
  await statusRows.service(conn, names, 1, 'TMS', 'Telephony Management Service', 4);
  await statusRows.service(conn, names, 1, 'VMail', 'Voice Mail', 1);
  await statusRows.service(conn, names, 2, 'DRS', 'Distributed Routing Service', 4);
}
