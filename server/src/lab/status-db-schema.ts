import type { Connection } from 'mysql2/promise';
import { statusDbSchema, type StatusDbSchemaNames } from '@hqwatch/shared';

/** The two databases the lab (and the tests) write: ShoreWare's status database and its configuration database. */
export interface StatusDbNames {
  status: string;
  config: string;
  /**
   * The table and column names, as `statusDb.schema` configures them (its `configDatabase` aside:
   * `config` names that database); the documented defaults when absent.
   */
  schema?: StatusDbSchemaNames;
}

/** The documented default table and column names. */
const DEFAULT_SCHEMA: StatusDbSchemaNames = statusDbSchema.parse({ url: 'mysql://lab@127.0.0.1/shorewarestatus' }).schema;

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

/** Quoted names of one database pair's tables and columns, checked as identifiers. */
function quoted(names: StatusDbNames) {
  const schema = names.schema ?? DEFAULT_SCHEMA;
  const cols = <T extends Record<string, string>>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, q(v)])) as T;
  const s = q(names.status);
  const c = q(names.config);
  return {
    s,
    c,
    sites: { ...cols(schema.sites), at: `${c}.${q(schema.sites.table)}` },
    switches: { ...cols(schema.switches), at: `${c}.${q(schema.switches.table)}` },
    switchStatus: { ...cols(schema.switchStatus), at: `${s}.${q(schema.switchStatus.table)}` },
    serviceStatus: { ...cols(schema.serviceStatus), at: `${s}.${q(schema.serviceStatus.table)}` },
  };
}

/**
 * Creates the tables hqwatch reads, with the configured names (the documented defaults unless
 * `names.schema` renames them) and only the columns it reads (the real ones have many more).
 * Existing tables are emptied: the lab owns these databases.
 */
export async function createStatusSchema(conn: Connection, names: StatusDbNames): Promise<void> {
  const { s, c, sites, switches: sw, switchStatus: st, serviceStatus: sv } = quoted(names);
  const statements = [
    `CREATE DATABASE IF NOT EXISTS ${s}`,
    `CREATE DATABASE IF NOT EXISTS ${c}`,
    `CREATE TABLE IF NOT EXISTS ${sites.at} (${sites.siteId} INT PRIMARY KEY, ${sites.name} VARCHAR(100) NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${sw.at} (${sw.switchId} INT PRIMARY KEY, ${sw.name} VARCHAR(100) NOT NULL, ${sw.address} VARCHAR(64), ${sw.type} VARCHAR(32) NOT NULL, ${sw.siteId} INT)`,
    `CREATE TABLE IF NOT EXISTS ${st.at} (${st.switchId} INT PRIMARY KEY, ${st.serverId} INT, ${st.address} VARCHAR(64), ${st.service} INT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${sv.at} (${sv.serverId} INT NOT NULL, ${sv.serviceName} VARCHAR(64) NOT NULL, ${sv.displayName} VARCHAR(128) NOT NULL, ${sv.state} INT NOT NULL, PRIMARY KEY (${sv.serverId}, ${sv.serviceName}))`,
    `DELETE FROM ${sites.at}`,
    `DELETE FROM ${sw.at}`,
    `DELETE FROM ${st.at}`,
    `DELETE FROM ${sv.at}`,
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
    const { sites } = quoted(names);
    await conn.query(`REPLACE INTO ${sites.at} (${sites.siteId}, ${sites.name}) VALUES (?, ?)`, [id, name]);
  },
  async switch(conn: Connection, names: StatusDbNames, sw: SwitchSeed): Promise<void> {
    const { switches: t, switchStatus: st } = quoted(names);
    await conn.query(`REPLACE INTO ${t.at} (${t.switchId}, ${t.name}, ${t.address}, ${t.type}, ${t.siteId}) VALUES (?, ?, ?, ?, ?)`, [
      sw.id,
      sw.name,
      sw.address,
      sw.type,
      sw.siteId,
    ]);
    await conn.query(`REPLACE INTO ${st.at} (${st.switchId}, ${st.serverId}, ${st.address}, ${st.service}) VALUES (?, ?, ?, ?)`, [
      sw.id,
      sw.serverId,
      sw.address,
      sw.code,
    ]);
  },
  async code(conn: Connection, names: StatusDbNames, switchId: number, code: number): Promise<void> {
    const { switchStatus: st } = quoted(names);
    await conn.query(`UPDATE ${st.at} SET ${st.service} = ? WHERE ${st.switchId} = ?`, [code, switchId]);
  },
  async service(conn: Connection, names: StatusDbNames, serverId: number, name: string, displayName: string, state: number): Promise<void> {
    const { serviceStatus: sv } = quoted(names);
    await conn.query(`REPLACE INTO ${sv.at} (${sv.serverId}, ${sv.serviceName}, ${sv.displayName}, ${sv.state}) VALUES (?, ?, ?, ?)`, [
      serverId,
      name,
      displayName,
      state,
    ]);
  },
};
