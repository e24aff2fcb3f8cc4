import type { Connection } from 'mysql2/promise';

/** The two databases the lab (and the tests) write: ShoreWare's status database and its configuration database. */
export interface StatusDbNames {
  status: string;
  config: string;
}

/**
 * The configuration database beside a status database: `shorewarestatus` → `shoreware`, and a
 * suffix carries over (`shorewarestatus_ab12` → `shoreware_ab12`); any other name gets `_config`.
 */
export function statusDbNames(statusDatabase: string): StatusDbNames {
  const match = /^shorewarestatus(.*)$/i.exec(statusDatabase);
  return { status: statusDatabase, config: match ? `shoreware${match[1]}` : `${statusDatabase}_config` };
}

const q = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return `\`${name}\``;
};

/**
 * Creates the tables hqwatch reads, with the documented default names and only the columns it
 * reads (the real ones have many more). Existing tables are emptied: the lab owns these databases.
 */
export async function createStatusSchema(conn: Connection, names: StatusDbNames): Promise<void> {
  const s = q(names.status);
  const c = q(names.config);
  const statements = [
    `CREATE DATABASE IF NOT EXISTS ${s}`,
    `CREATE DATABASE IF NOT EXISTS ${c}`,
    `CREATE TABLE IF NOT EXISTS ${c}.sites (SiteID INT PRIMARY KEY, Name VARCHAR(100) NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${c}.switches (SwitchID INT PRIMARY KEY, HostName VARCHAR(100) NOT NULL, IPAddress VARCHAR(64), type VARCHAR(32) NOT NULL, SiteID INT)`,
    `CREATE TABLE IF NOT EXISTS ${s}.heapswitchstatus (SwitchID INT PRIMARY KEY, ServerID INT, InternetAddress VARCHAR(64), Service INT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.heapservicestatus (ServerID INT NOT NULL, ServiceName VARCHAR(64) NOT NULL, DisplayName VARCHAR(128) NOT NULL, CurrentState INT NOT NULL, PRIMARY KEY (ServerID, ServiceName))`,
    `DELETE FROM ${c}.sites`,
    `DELETE FROM ${c}.switches`,
    `DELETE FROM ${s}.heapswitchstatus`,
    `DELETE FROM ${s}.heapservicestatus`,
  ];
  for (const sql of statements) await conn.query(sql);
}

export interface SwitchSeed {
  id: number;
  name: string;
  address: string;
  type: string;
  siteId: number | null;
  serverId: number | null;
  code: number;
}

/** Writes rows as ShoreWare would: the site, the switch in the configuration database, its status. */
export const statusRows = {
  async site(conn: Connection, names: StatusDbNames, id: number, name: string): Promise<void> {
    await conn.query(`REPLACE INTO ${q(names.config)}.sites (SiteID, Name) VALUES (?, ?)`, [id, name]);
  },
  async switch(conn: Connection, names: StatusDbNames, sw: SwitchSeed): Promise<void> {
    await conn.query(`REPLACE INTO ${q(names.config)}.switches (SwitchID, HostName, IPAddress, type, SiteID) VALUES (?, ?, ?, ?, ?)`, [
      sw.id,
      sw.name,
      sw.address,
      sw.type,
      sw.siteId,
    ]);
    await conn.query(
      `REPLACE INTO ${q(names.status)}.heapswitchstatus (SwitchID, ServerID, InternetAddress, Service) VALUES (?, ?, ?, ?)`,
      [sw.id, sw.serverId, sw.address, sw.code],
    );
  },
  async code(conn: Connection, names: StatusDbNames, switchId: number, code: number): Promise<void> {
    await conn.query(`UPDATE ${q(names.status)}.heapswitchstatus SET Service = ? WHERE SwitchID = ?`, [code, switchId]);
  },
  async service(conn: Connection, names: StatusDbNames, serverId: number, name: string, displayName: string, state: number): Promise<void> {
    await conn.query(
      `REPLACE INTO ${q(names.status)}.heapservicestatus (ServerID, ServiceName, DisplayName, CurrentState) VALUES (?, ?, ?, ?)`,
      [serverId, name, displayName, state],
    );
  },
};
