import { describe, expect, it } from 'vitest';
import { configWarnings, parseConfigText, validateConfig } from '@hqwatch/shared';
import type { ConfigError } from '@hqwatch/shared';

const probes = [{ kind: 'tcp', port: 4308 }];

/** The smallest valid document: the HQ pair alone. */
const minimal = {
  headquarters: {
    primary: { name: 'HQ primary', address: '10.1.0.10', probes },
    secondary: { name: 'HQ secondary', address: '10.2.0.10', probes },
  },
};

const servers = [
  { id: 'dvs-boston', name: 'Boston DVS', address: '10.3.0.5', drs: true, probes },
  { id: 'dvs-miami', name: 'Miami DVS', address: '10.5.0.5', probes },
];

function errorsOf(doc: unknown): ConfigError[] {
  const result = validateConfig(doc);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors;
}

const withSite = (site: object) => ({
  ...minimal,
  servers,
  sites: [{ id: 'austin', name: 'Austin', users: 'hq', voicemail: 'hq', ...site }],
});

describe('site topology that cannot be evaluated is refused', () => {
  it.each([
    [
      'users homed on an unknown server',
      { users: 'dvs-austin' },
      'sites[0].users',
      'unknown server "dvs-austin" (use "hq" or a server id)',
    ],
    [
      'voicemail routed through an unknown server',
      { voicemail: 'dvs-ghost' },
      'sites[0].voicemail',
      'unknown server "dvs-ghost" (use "hq" or a server id)',
    ],
    [
      'a DRS path naming an unknown server',
      { drs: ['hq', 'dvs-ghost'] },
      'sites[0].drs[1]',
      'unknown server "dvs-ghost" (use "hq" or a server id)',
    ],
    [
      'a DRS path naming a server without drs: true',
      { drs: ['dvs-miami'] },
      'sites[0].drs[0]',
      'server "dvs-miami" has no DRS (set drs: true on it)',
    ],
    [
      'a server id spelled in another case',
      { users: 'DVS-Boston' },
      'sites[0].users',
      'unknown server "DVS-Boston" (use "hq" or a server id)',
    ],
  ])('%s', (_name, site, path, message) => {
    expect(errorsOf(withSite(site))).toEqual([{ path, message }]);
  });

  it.each([
    ['homed on HQ', { users: 'hq', voicemail: 'hq', drs: ['hq'] }],
    ['homed on a DVS with DRS through it and HQ', { users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['dvs-boston', 'hq'] }],
    ['homed on a DVS without DRS, DRS through HQ', { users: 'dvs-miami', voicemail: 'dvs-miami', drs: ['hq'] }],
  ])('accepts a site %s', (_name, site) => {
    expect(validateConfig(withSite(site)).ok).toBe(true);
  });
});

describe('config errors', () => {
  it('reports every mistake at once, each with its path', () => {
    const errors = errorsOf({
      ...minimal,
      monitor: { interval: 'soon', failAfter: 0 },
      servers: [...servers, { id: 'dvs-boston', name: 'Boston again', address: '10.3.0.6', probes }],
      sites: [
        { id: 'austin', name: 'Austin', users: 'dvs-ghost', voicemail: 'hq', drs: ['dvs-miami'] },
        { id: 'austin', name: 'Austin 2', users: 'hq', voicemail: 'hq', colour: 'red' },
      ],
    });
    expect(errors.map((e) => e.path).sort()).toEqual(
      ['monitor.interval', 'monitor.failAfter', 'servers[2].id', 'sites[0].users', 'sites[0].drs[0]', 'sites[1]', 'sites[1].id'].sort(),
    );
  });

  it.each([
    ['at the top level', { ...minimal, alerts: {} }, '(root)', 'Unrecognized key: "alerts"'],
    ['in monitor (a misspelt option)', { ...minimal, monitor: { intervall: '2s' } }, 'monitor', 'Unrecognized key: "intervall"'],
    [
      'in an HQ server',
      { headquarters: { ...minimal.headquarters, primary: { ...minimal.headquarters.primary, ip: '1.2.3.4' } } },
      'headquarters.primary',
      'Unrecognized key: "ip"',
    ],
    [
      'in a probe',
      { ...minimal, servers: [{ ...servers[0], probes: [{ kind: 'tcp', port: 1, tls: true }] }] },
      'servers[0].probes[0]',
      'Unrecognized key: "tls"',
    ],
    ['in a site', withSite({ users_count: 3 }), 'sites[0]', 'Unrecognized key: "users_count"'],
  ])('refuses an unknown key %s', (_name, doc, path, message) => {
    expect(errorsOf(doc)).toEqual([{ path, message }]);
  });

  it.each([
    [
      'a duplicate server id',
      { ...minimal, servers: [servers[0], { ...servers[1], id: 'dvs-boston' }] },
      'servers[1].id',
      'duplicate server id "dvs-boston"',
    ],
    [
      'a duplicate site id',
      { ...minimal, sites: [withSite({}).sites[0], withSite({}).sites[0]] },
      'sites[1].id',
      'duplicate site id "austin"',
    ],
  ])('refuses %s', (_name, doc, path, message) => {
    expect(errorsOf(doc)).toEqual([{ path, message }]);
  });

  it.each(['hq', 'primary', 'secondary'])('refuses the id %j for a server, reserved for the HQ pair', (id) => {
    expect(errorsOf({ ...minimal, servers: [{ ...servers[0], id }] })).toEqual([
      { path: 'servers[0].id', message: `"${id}" is reserved for the HQ pair` },
    ]);
  });

  it.each([
    ['2 sec', 'monitor.interval', '"2 sec" is not a duration (use 500ms, 2s, 5m, 1h)'],
    ['-1s', 'monitor.interval', '"-1s" is not a duration (use 500ms, 2s, 5m, 1h)'],
    ['2', 'monitor.interval', '"2" is not a duration (use 500ms, 2s, 5m, 1h)'],
  ])('refuses the duration %j', (interval, path, message) => {
    expect(errorsOf({ ...minimal, monitor: { interval } })).toEqual([{ path, message }]);
  });

  it('refuses a bare number where a duration is expected', () => {
    expect(errorsOf({ ...minimal, monitor: { timeout: 1000 } })).toEqual([
      { path: 'monitor.timeout', message: 'expected a duration such as 500ms, 2s or 5m' },
    ]);
  });

  it('refuses an expected window whose minimum exceeds its maximum', () => {
    expect(errorsOf({ ...minimal, monitor: { expectedWindow: { min: '30m', max: '5m' } } })).toEqual([
      { path: 'monitor.expectedWindow.min', message: 'min is longer than max' },
    ]);
  });

  it('refuses flap thresholds in the wrong order', () => {
    expect(errorsOf({ ...minimal, monitor: { flap: { enter: 20, leave: 30 } } })).toEqual([
      { path: 'monitor.flap.leave', message: 'the leave threshold is above the enter threshold' },
    ]);
  });
});

describe('config defaults', () => {
  it('fills the monitor defaults: interval 2s, timeout 1s, failAfter 3, recoverAfter 2, window 5–20 min', () => {
    const result = validateConfig(minimal);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.monitor).toMatchObject({
      interval: 2_000,
      timeout: 1_000,
      failAfter: 3,
      recoverAfter: 2,
      expectedWindow: { min: 300_000, max: 1_200_000 },
      witness: [],
    });
    expect(result.config.drs.enabled).toBe(false);
    expect(result.config.servers).toEqual([]);
    expect(result.config.sites).toEqual([]);
  });

  it('keeps the defaults of the options not given', () => {
    // 5s, not 500ms: an interval at or under the default 1s timeout is now refused (see below).
    const result = validateConfig({ ...minimal, monitor: { interval: '5s', expectedWindow: { max: '30m' } } });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.monitor).toMatchObject({ interval: 5_000, timeout: 1_000, expectedWindow: { min: 300_000, max: 1_800_000 } });
  });

  it('gives a site no DRS path and a server no DRS unless configured', () => {
    const result = validateConfig({ ...minimal, servers: [servers[1]], sites: [{ id: 'lab', name: 'Lab', users: 'hq', voicemail: 'hq' }] });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.servers[0].drs).toBe(false);
    expect(result.config.sites[0]).toEqual({ id: 'lab', name: 'Lab', users: 'hq', voicemail: 'hq', drs: [] });
  });
});

describe('parseConfigText', () => {
  it.each([
    ['an empty file', ''],
    ['a file of blank lines', '\n  \n'],
    ['a file of comments only', '# hqwatch config\n# nothing yet\n'],
  ])('refuses %s', (_name, text) => {
    expect(parseConfigText(text)).toEqual({ ok: false, errors: [{ path: '(file)', message: 'the file is empty' }] });
  });

  it('refuses invalid YAML with one error and no exception', () => {
    const result = parseConfigText('headquarters: [\n  primary: {\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].path).toBe('(file)');
    expect(result.errors[0].message).toMatch(/^invalid YAML/);
  });

  it('refuses a document that is not a mapping', () => {
    expect(parseConfigText('- a\n- b\n')).toEqual({
      ok: false,
      errors: [{ path: '(root)', message: 'Invalid input: expected object, received array' }],
    });
  });

  it('reads the example of the design', () => {
    const text = `
monitor:
  interval: 2s
  timeout: 1s
  failAfter: 3
  recoverAfter: 2
  expectedWindow: { min: 5m, max: 20m }
  witness: [ { kind: tcp, host: 10.0.0.1, port: 53 } ]
headquarters:
  primary:   { name: HQ primary, address: 10.1.0.10, probes: [ { kind: tcp, port: 4308 }, { kind: sip, port: 5441 }, { kind: http, url: "http://10.1.0.10/ShoreWareDirector/" } ] }
  secondary: { name: HQ secondary, address: 10.2.0.10, probes: [ { kind: tcp, port: 4308 }, { kind: sip, port: 5441 } ] }
servers:
  - { id: dvs-boston, name: Boston DVS, address: 10.3.0.5, drs: true, probes: [ { kind: sip, port: 5441 } ] }
drs: { enabled: true }
sites:
  - { id: hq, name: Headquarters, users: hq, voicemail: hq, drs: [hq], userCount: 400 }
  - { id: boston, name: Boston, users: dvs-boston, voicemail: dvs-boston, drs: [dvs-boston, hq], userCount: 120 }
`;
    const result = parseConfigText(text);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.monitor.expectedWindow).toEqual({ min: 300_000, max: 1_200_000 });
    expect(result.config.sites.map((s) => [s.id, s.users, s.voicemail, s.drs, s.userCount])).toEqual([
      ['hq', 'hq', 'hq', ['hq'], 400],
      ['boston', 'dvs-boston', 'dvs-boston', ['dvs-boston', 'hq'], 120],
    ]);
  });

  it('reports a wrong reference in YAML text with its path', () => {
    const text = `
headquarters:
  primary: { name: P, address: 10.1.0.10, probes: [ { kind: tcp, port: 4308 } ] }
  secondary: { name: S, address: 10.2.0.10, probes: [ { kind: tcp, port: 4308 } ] }
sites:
  - { id: austin, name: Austin, users: dvs-austin, voicemail: hq }
`;
    expect(parseConfigText(text)).toEqual({
      ok: false,
      errors: [{ path: 'sites[0].users', message: 'unknown server "dvs-austin" (use "hq" or a server id)' }],
    });
  });
});

describe('where the history is stored', () => {
  it('is SQLite unless said otherwise, with the retention and checkpoint defaults', () => {
    const result = validateConfig(minimal);
    if (!result.ok) throw new Error('refused');
    expect(result.config.store).toEqual({ kind: 'sqlite', retentionDays: 90, checkpointInterval: 60_000 });
  });

  it('takes kind: postgres with a url, keeping the other keys', () => {
    const result = validateConfig({ ...minimal, store: { kind: 'postgres', url: 'postgres://127.0.0.1:5432/test', retentionDays: 30 } });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.store).toEqual({
      kind: 'postgres',
      url: 'postgres://127.0.0.1:5432/test',
      retentionDays: 30,
      checkpointInterval: 60_000,
    });
  });

  it('refuses postgres without a url, a url for sqlite, another scheme and another kind', () => {
    expect(errorsOf({ ...minimal, store: { kind: 'postgres' } })).toEqual([
      { path: 'store.url', message: 'a postgres store needs a url, e.g. postgres://127.0.0.1:5432/hqwatch' },
    ]);
    expect(errorsOf({ ...minimal, store: { url: 'postgres://127.0.0.1/test' } })[0]).toMatchObject({ path: 'store.url' });
    expect(errorsOf({ ...minimal, store: { kind: 'postgres', url: 'mysql://127.0.0.1/test' } })[0]).toMatchObject({ path: 'store.url' });
    expect(errorsOf({ ...minimal, store: { kind: 'mongodb' } })[0]).toMatchObject({ path: 'store.kind' });
  });
});

describe('timing and address mistakes a new user makes', () => {
  const hqWith = (primary: object) => ({
    headquarters: { ...minimal.headquarters, primary: { ...minimal.headquarters.primary, ...primary } },
  });

  it.each([
    [
      'a zero probe timeout',
      hqWith({ probes: [{ kind: 'tcp', port: 4308, timeout: '0s' }] }),
      'headquarters.primary.probes[0].timeout',
      'must be longer than 0',
    ],
    ['a zero monitor timeout', { ...minimal, monitor: { timeout: '0ms' } }, 'monitor.timeout', 'must be longer than 0'],
    [
      'a monitor timeout equal to the interval',
      { ...minimal, monitor: { interval: '2s', timeout: '2s' } },
      'monitor.timeout',
      'must be shorter than monitor.interval (2s): a probe still running would overlap the next round',
    ],
    [
      'a monitor timeout above the default interval',
      { ...minimal, monitor: { timeout: '3s' } },
      'monitor.timeout',
      'must be shorter than monitor.interval (2s): a probe still running would overlap the next round',
    ],
    [
      'a probe timeout at the interval',
      hqWith({ probes: [{ kind: 'sip', port: 5441, timeout: '2s' }] }),
      'headquarters.primary.probes[0].timeout',
      'must be shorter than monitor.interval (2s): a probe still running would overlap the next round',
    ],
    [
      'an interval at or under the default timeout',
      { ...minimal, monitor: { interval: '1s' } },
      'monitor.interval',
      'must be longer than monitor.timeout (1s by default): set a shorter monitor.timeout',
    ],
    [
      'an interval too small to probe anything',
      { ...minimal, monitor: { interval: '50ms', timeout: '20ms' } },
      'monitor.interval',
      'must be at least 100ms',
    ],
    [
      'an expected window minimum of 0',
      { ...minimal, monitor: { expectedWindow: { min: '0s' } } },
      'monitor.expectedWindow.min',
      'must be longer than 0',
    ],
    ['recoverAfter of 0', { ...minimal, monitor: { recoverAfter: 0 } }, 'monitor.recoverAfter', 'must be at least 1 round'],
    ['a negative recoverAfter', { ...minimal, monitor: { recoverAfter: -1 } }, 'monitor.recoverAfter', 'must be at least 1 round'],
    [
      'an expected window maximum of 0',
      { ...minimal, monitor: { expectedWindow: { max: '0s' } } },
      'monitor.expectedWindow.max',
      'must be longer than 0',
    ],
    [
      'a checkpoint every few milliseconds',
      { ...minimal, store: { checkpointInterval: '10ms' } },
      'store.checkpointInterval',
      'must be at least 1s',
    ],
    [
      'an address that is not a host',
      hqWith({ address: 'not a host!' }),
      'headquarters.primary.address',
      '"not a host!" is not an IPv4 or IPv6 address or a host name',
    ],
    [
      'an IPv4 address with a part above 255',
      hqWith({ address: '10.1.0.300' }),
      'headquarters.primary.address',
      '"10.1.0.300" is not an IPv4 or IPv6 address or a host name',
    ],
    ['an empty address', hqWith({ address: '' }), 'headquarters.primary.address', '"" is not an IPv4 or IPv6 address or a host name'],
    [
      'a probe host that is not a host',
      { ...minimal, servers: [{ ...servers[0], probes: [{ kind: 'sip', host: 'dvs boston', port: 5441 }] }] },
      'servers[0].probes[0].host',
      '"dvs boston" is not an IPv4 or IPv6 address or a host name',
    ],
    [
      'a witness host that is not a host',
      { ...minimal, monitor: { witness: [{ kind: 'tcp', host: 'dns?', port: 53 }] } },
      'monitor.witness[0].host',
      '"dns?" is not an IPv4 or IPv6 address or a host name',
    ],
    [
      "an http probe whose URL's host is not a host",
      hqWith({ probes: [{ kind: 'http', url: 'http://director!/ShoreWareDirector/' }] }),
      'headquarters.primary.probes[0].url',
      `the URL's host: "director!" is not an IPv4 or IPv6 address or a host name`,
    ],
  ])('refuses %s', (_name, doc, path, message) => {
    expect(errorsOf(doc)).toEqual([{ path, message }]);
  });

  it('reports them all at once', () => {
    const errors = errorsOf({
      monitor: { interval: '2s', timeout: '0s', expectedWindow: { min: '0s' }, witness: [{ kind: 'tcp', host: 'not a host!', port: 53 }] },
      headquarters: {
        primary: { name: 'P', address: 'not a host!', probes: [{ kind: 'tcp', port: 4308, timeout: '5s' }] },
        secondary: { name: 'S', address: '10.2.0.10', probes: [{ kind: 'tcp', port: 4308, timeout: '0s' }] },
      },
    });
    expect(errors.map((e) => e.path).sort()).toEqual(
      [
        'monitor.timeout',
        'monitor.expectedWindow.min',
        'monitor.witness[0].host',
        'headquarters.primary.address',
        'headquarters.primary.probes[0].timeout',
        'headquarters.secondary.probes[0].timeout',
      ].sort(),
    );
  });

  it.each([
    ['10.1.0.10'],
    ['127.0.1.10'],
    ['::1'],
    ['fe80::1%eth0'],
    ['2001:db8::10'],
    ['::ffff:10.1.0.10'],
    ['hq-primary'],
    ['hq1.corp.example.com'],
    ['hq1.corp.example.com.'],
    ['SHORETEL_HQ'],
    ['localhost'],
  ])('accepts the address %s', (address) => {
    expect(validateConfig(hqWith({ address })).ok).toBe(true);
  });

  it('accepts an http URL on an IPv6 literal or a host name with a port', () => {
    for (const url of ['http://[2001:db8::10]:8000/ShoreWareDirector/', 'https://director.corp.example.com:8443/'])
      expect(validateConfig(hqWith({ probes: [{ kind: 'http', url }] })).ok).toBe(true);
  });
});

describe('config warnings', () => {
  const withProbes = (primary: object[], secondary: object[]) => {
    const result = validateConfig({
      headquarters: {
        primary: { ...minimal.headquarters.primary, probes: primary },
        secondary: { ...minimal.headquarters.secondary, probes: secondary },
      },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return configWarnings(result.config);
  };

  it('warns of each HQ server without a host-level probe, saying what to add', () => {
    const warnings = withProbes(probes, [...probes, { kind: 'tcp', port: 135, role: 'host' }]);
    expect(warnings).toEqual([
      {
        path: 'headquarters.primary.probes',
        message: expect.stringMatching(
          /^no host-level probe \(role: host\): .*a stopped server looks dead\. Add \{ kind: icmp \}.*\{ kind: tcp, port: 135, role: host \}/,
        ),
      },
    ]);
  });

  it('counts an icmp probe, a host probe by default', () => {
    expect(withProbes([...probes, { kind: 'icmp' }], [{ kind: 'icmp' }])).toEqual([]);
  });
});
