import { describe, expect, it } from 'vitest';
import { describeStatusDbTarget, parseStatusDbUrl, validateConfig, type ConfigError } from '@hqwatch/shared';

const probes = [{ kind: 'tcp', port: 4308 }];
const base = {
  headquarters: {
    primary: { name: 'HQ primary', address: '10.1.0.10', probes },
    secondary: { name: 'HQ secondary', address: '10.2.0.10', probes },
  },
  sites: [
    { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq' },
    { id: 'austin', name: 'Austin', users: 'hq', voicemail: 'hq', switches: ['sw-aus-1', 'sw-aus-2'] },
  ],
};

function errorsOf(doc: unknown): ConfigError[] {
  const result = validateConfig(doc);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors;
}

describe('statusDb in the config', () => {
  it('defaults: port 4308, 15 s interval, the documented table and column names', () => {
    const result = validateConfig({ ...base, statusDb: { url: 'mysql://hqwatch@active-hq/shorewarestatus' } });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const db = result.config.statusDb!;
    expect(db).toMatchObject({
      url: 'mysql://hqwatch@active-hq/shorewarestatus',
      interval: 15_000,
      connectTimeout: 5_000,
      queryTimeout: 5_000,
    });
    expect(db.schema.switchStatus).toEqual({
      table: 'heapswitchstatus',
      switchId: 'SwitchID',
      serverId: 'ServerID',
      address: 'InternetAddress',
      service: 'Service',
    });
    expect(db.schema.switches.name).toBe('HostName');
    expect(db.schema.serviceStatus.state).toBe('CurrentState');
    expect(db.schema.configDatabase).toBe('shoreware');
    expect(result.config.sites[1]!.switches).toEqual(['sw-aus-1', 'sw-aus-2']);
  });

  it('renamed tables and columns are kept', () => {
    const result = validateConfig({
      ...base,
      statusDb: {
        url: 'mysql://ro@10.1.0.10:4308/status',
        interval: '30s',
        schema: { switchStatus: { service: 'ServiceStatus' }, configDatabase: 'cfg' },
      },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.statusDb!.schema.switchStatus.service).toBe('ServiceStatus');
    expect(result.config.statusDb!.schema.switchStatus.table).toBe('heapswitchstatus');
    expect(result.config.statusDb!.interval).toBe(30_000);
  });

  it('every mistake is reported with its path, and never echoes the URL', () => {
    const errors = errorsOf({
      ...base,
      sites: [...base.sites, { id: 'bos', name: 'Boston', users: 'hq', voicemail: 'hq', switches: ['SW-AUS-1'] }],
      statusDb: {
        url: 'mysql://ro:s3cret@10.1.0.10/shorewarestatus',
        interval: '2s',
        queryTimeout: '2s',
        schema: { switches: { name: 'Host Name; DROP TABLE x' } },
        extra: 1,
      },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'statusDb.url', message: 'the password goes in the environment variable HQWATCH_STATUSDB_PASSWORD, never in the URL' },
        { path: 'statusDb.schema.switches.name', message: 'table and column names are letters, digits, _ and $' },
        { path: 'statusDb', message: expect.stringContaining('extra') },
        { path: 'statusDb.queryTimeout', message: 'must be shorter than statusDb.interval, so reads never pile up' },
        { path: 'sites[2].switches[0]', message: 'switch "SW-AUS-1" is already listed for site austin' },
      ]),
    );
    expect(JSON.stringify(errors)).not.toContain('s3cret');
  });

  it('switches listed without a status database are refused', () => {
    expect(errorsOf(base)).toEqual([
      { path: 'sites[1].switches', message: 'switch status is read from the ShoreWare status database: configure statusDb' },
    ]);
  });

  it.each([
    ['mysql://10.1.0.10/shorewarestatus', 'name the read-only user: mysql://USER@HOST/…'],
    ['postgres://ro@host/db', 'expected a mysql:// URL'],
    ['mysql://ro@host/db?ssl=true', 'URL options are not read; use the statusDb keys instead'],
    ['mysql://ro@[]:4308/shorewarestatus', 'the host between [ ] is empty: name it, or leave the brackets out for the active HQ server'],
  ])('%s is refused', (url, message) => {
    expect(errorsOf({ ...base, statusDb: { url } })).toEqual([{ path: 'statusDb.url', message }]);
  });

  it.each([
    ['mysql://ro@/shorewarestatus', 4308],
    ['mysql://ro@:4308/shorewarestatus', 4308],
    ['mysql://ro@:3307/shorewarestatus', 3307],
  ])('%s: no host reads the active HQ server, as "active-hq" does', (url, port) => {
    const result = validateConfig({ ...base, statusDb: { url } });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const parsed = parseStatusDbUrl(url);
    const explicit = parseStatusDbUrl(`mysql://ro@active-hq:${port}/shorewarestatus`);
    if (!parsed.ok || !explicit.ok) throw new Error('expected both URLs to parse');
    expect(parsed.target).toEqual({ user: 'ro', host: 'active-hq', port, database: 'shorewarestatus' });
    expect(parsed.target).toEqual(explicit.target);
    expect(describeStatusDbTarget(parsed.target, '10.2.0.10')).toBe(`ro@10.2.0.10 (active HQ server):${port}/shorewarestatus`);
  });
});
