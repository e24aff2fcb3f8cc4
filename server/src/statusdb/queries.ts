import type { StatusDbSchemaNames } from '@hqwatch/shared';

/** A schema identifier quoted for MySQL; names are validated by the config schema, this is the second fence. */
function id(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return `\`${name}\``;
}

/**
 * Every voice switch and server row: `heapswitchstatus` joined with the configuration
 * database's `switches` on the switch id (as public Nagios plugins for ShoreTel do), plus the
 * site's name from `sites` when a site is matched by name.
 */
export function switchesSql(statusDatabase: string, s: StatusDbSchemaNames, withSites: boolean): string {
  const st = `${id(statusDatabase)}.${id(s.switchStatus.table)}`;
  const sw = `${id(s.configDatabase)}.${id(s.switches.table)}`;
  const si = `${id(s.configDatabase)}.${id(s.sites.table)}`;
  return [
    `SELECT sw.${id(s.switches.name)} AS name, sw.${id(s.switches.address)} AS address, sw.${id(s.switches.type)} AS type,`,
    `st.${id(s.switchStatus.service)} AS code, st.${id(s.switchStatus.serverId)} AS serverId, st.${id(s.switchStatus.address)} AS statusAddress`,
    withSites ? `, si.${id(s.sites.name)} AS siteName` : '',
    `FROM ${st} st JOIN ${sw} sw ON sw.${id(s.switches.switchId)} = st.${id(s.switchStatus.switchId)}`,
    withSites ? `LEFT JOIN ${si} si ON si.${id(s.sites.siteId)} = sw.${id(s.switches.siteId)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The Windows services of every server, by `ServerID`. */
export function servicesSql(statusDatabase: string, s: StatusDbSchemaNames): string {
  const sv = s.serviceStatus;
  return (
    `SELECT sv.${id(sv.serverId)} AS serverId, sv.${id(sv.serviceName)} AS name, sv.${id(sv.displayName)} AS displayName, ` +
    `sv.${id(sv.state)} AS state FROM ${id(statusDatabase)}.${id(sv.table)} sv`
  );
}
