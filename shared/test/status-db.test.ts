import { describe, expect, it } from 'vitest';
import {
  applyDelta,
  buildLiveState,
  diffState,
  initialCore,
  servicesByNode,
  summarizeSwitches,
  switchCodeText,
  switchCodeTone,
  switchesBySite,
  switchesContradiction,
  withStatusDb,
  type StatusDbSnapshot,
  type StatusDbView,
  type SwitchRow,
} from '@hqwatch/shared';
import { company, impactOf, siteOf } from './impact-fixtures.ts';

const AT = '2025-03-01T10:00:00.000Z';
const row = (name: string, code: number, siteName: string | null = null, address: string | null = null): SwitchRow => ({
  name,
  code,
  siteName,
  address,
});

describe('status codes in words', () => {
  it.each([
    [0, 'unknown', 'unknown'],
    [110, 'in service', 'ok'],
    [210, 'firmware update available', 'info'],
    [340, 'SIP trunks out of service', 'warn'],
    [355, 'ports or trunks out of service', 'warn'],
    [430, 'D-channel down', 'bad'],
    [490, 'lost communication', 'bad'],
    [999, 'status code 999 (not known to hqwatch)', 'unknown'],
  ])('%i is "%s"', (code, text, tone) => {
    expect(switchCodeText(code)).toBe(text);
    expect(switchCodeTone(code)).toBe(tone);
  });
});

describe('a site summary names its worst switch', () => {
  it.each([
    [{ a: 110, b: 110 }, 2, 0, { code: 110, text: 'in service' }],
    [{ a: 110, b: 0 }, 1, 0, { code: 0, text: 'unknown' }],
    [{ a: 0, b: 210 }, 0, 0, { code: 210, text: 'firmware update available' }],
    [{ a: 490, b: 430, c: 110 }, 1, 1, { code: 490, text: 'lost communication' }],
    [{}, 0, 0, null],
  ])('%j', (codes, inService, lost, worst) => {
    expect(summarizeSwitches(codes, AT)).toEqual({ total: Object.keys(codes).length, inService, lost, worst, since: AT });
  });
});

describe('switches are mapped to the configured sites', () => {
  const rows = [
    row('sw-hq-1', 110, 'Headquarters', '10.1.5.1'),
    row('sw-hq-2', 490, ' headquarters ', '10.1.5.2'),
    row('SW-BOS-1', 110, 'Boston', '10.3.5.1'),
    row('sw-bos-2', 490, 'Boston', '10.3.5.2'),
    row('sw-other', 110, 'Somewhere else', null),
  ];

  it('by the site name in the configuration database, case and spaces aside', () => {
    const map = switchesBySite([{ id: 'hq', name: 'Headquarters' }], rows);
    expect(map.get('hq')).toEqual({ codes: { 'sw-hq-1': 110, 'sw-hq-2': 490 }, missing: [] });
  });

  it('by an explicit list of names or addresses, reporting names the database lacks', () => {
    const map = switchesBySite([{ id: 'boston', name: 'Boston', switches: ['sw-bos-1', '10.3.5.2', 'sw-bos-9'] }], rows);
    expect(map.get('boston')).toEqual({ codes: { 'SW-BOS-1': 110, 'sw-bos-2': 490 }, missing: ['sw-bos-9'] });
  });

  it('a switch listed for one site is not matched by name to another', () => {
    const map = switchesBySite(
      [
        { id: 'hq', name: 'Headquarters' },
        { id: 'lab', name: 'Lab', switches: ['sw-hq-2'] },
      ],
      rows,
    );
    expect(map.get('hq')!.codes).toEqual({ 'sw-hq-1': 110 });
    expect(map.get('lab')!.codes).toEqual({ 'sw-hq-2': 490 });
  });

  it('a site with no match has no switches', () => {
    expect(switchesBySite([{ id: 'x', name: 'Nowhere' }], rows).get('x')).toEqual({ codes: {}, missing: [] });
  });
});

describe('the database contradicting the vendor rules is said in words', () => {
  const okSite = siteOf(impactOf('primary-active').sites, 'boston');
  const all = (n: number, code = 490) => summarizeSwitches(Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, code])), AT);

  it('a site ok by the rules whose every switch lost communication', () => {
    expect(switchesContradiction(okSite, all(3), 'ok')).toBe(
      'reachability says ok; the status database says all 3 switches lost communication',
    );
    expect(switchesContradiction(okSite, all(1), 'ok')).toBe(
      'reachability says ok; the status database says its only switch lost communication',
    );
  });

  it('not when one switch is still managed, the data is stale, or telephony is already down', () => {
    expect(switchesContradiction(okSite, summarizeSwitches({ a: 490, b: 110 }, AT), 'ok')).toBeNull();
    expect(switchesContradiction(okSite, all(3), 'stale')).toBeNull();
    expect(switchesContradiction(okSite, all(3), 'unreachable')).toBeNull();
    const hqInWindow = siteOf(impactOf('failing-over').sites, 'hq');
    expect(hqInWindow.services.telephony.status).toBe('down');
    expect(switchesContradiction(hqInWindow, all(3), 'ok')).toBeNull();
    expect(switchesContradiction(okSite, all(0), 'ok')).toBeNull();
  });
});

describe('server services go on the node of the same address', () => {
  const servers = [
    { name: 'HQ', address: '10.1.0.10', type: 'SGHQ', services: [{ name: 'TMS', displayName: 'Telephony Management', state: 4 }] },
    { name: 'Boston', address: '10.3.0.5', type: 'SGDVS', services: [{ name: 'DRS', displayName: 'Distributed Routing', state: 1 }] },
  ];
  const nodes = [
    { id: 'primary', address: '10.1.0.10' },
    { id: 'secondary', address: '10.2.0.10' },
    { id: 'dvs-boston', address: '10.3.0.5' },
  ];

  it('with each state in words, 4 being running', () => {
    const out = servicesByNode(nodes, servers, { hqType: 'SGHQ', activeHqNodeId: 'primary' });
    expect(out.primary).toEqual([{ name: 'TMS', displayName: 'Telephony Management', state: 4, stateText: 'running', running: true }]);
    expect(out['dvs-boston']).toEqual([
      { name: 'DRS', displayName: 'Distributed Routing', state: 1, stateText: 'stopped', running: false },
    ]);
    expect(out.secondary).toBeUndefined();
  });

  it('an HQ row under another address is the acting HQ server', () => {
    const moved = [{ ...servers[0]!, address: '10.9.9.9' }];
    expect(Object.keys(servicesByNode(nodes, moved, { hqType: 'SGHQ', activeHqNodeId: 'secondary' }))).toEqual(['secondary']);
    expect(servicesByNode(nodes, moved, { hqType: 'SGHQ', activeHqNodeId: null })).toEqual({});
  });
});

describe('the live state carries the evidence without changing the impact', () => {
  const source: StatusDbView = { status: 'ok', since: AT, readAt: AT, target: 'ro@10.1.0.10:4308/shorewarestatus', intervalMs: 15_000 };
  const snapshot: StatusDbSnapshot = {
    source,
    sites: { boston: summarizeSwitches({ a: 490, b: 490, c: 490 }, AT), hq: summarizeSwitches({ d: 110 }, AT) },
    servers: { primary: [{ name: 'TMS', displayName: 'TMS', state: 4, stateText: 'running', running: true }] },
  };
  const base = buildLiveState({ config: company, core: initialCore(company, AT), now: AT, seq: 1, monitor: { healthy: true } });

  it('adds switches, contradictions, services and the source', () => {
    const okState = { ...base, sites: impactOf('primary-active').sites };
    const state = withStatusDb(okState, snapshot);
    expect(state.statusDb).toEqual(source);
    expect(siteOf(state.sites, 'boston').contradiction).toMatch(/all 3 switches lost communication/);
    expect(siteOf(state.sites, 'hq').contradiction).toBeUndefined();
    expect(siteOf(state.sites, 'austin').switches).toBeUndefined();
    expect(state.nodes.find((n) => n.id === 'primary')!.services).toHaveLength(1);
    expect(state.sites.map((s) => s.services)).toEqual(okState.sites.map((s) => s.services));
    expect(state.hq).toBe(okState.hq);
  });

  it('without a status database nothing is added', () => {
    expect(withStatusDb(base, null)).toBe(base);
    expect('statusDb' in base).toBe(false);
    expect(base.sites.every((s) => !('switches' in s))).toBe(true);
  });

  it('deltas carry the source and its removal', () => {
    const withDb = withStatusDb(base, snapshot);
    const stale = withStatusDb(base, { ...snapshot, source: { ...source, status: 'stale', since: '2025-03-01T10:01:00.000Z' } });
    const delta = diffState(withDb, { ...stale, seq: 2 });
    expect(delta.statusDb?.status).toBe('stale');
    expect(applyDelta(withDb, delta).statusDb?.status).toBe('stale');
    const removed = diffState(withDb, { ...base, seq: 3 });
    expect(removed.statusDb).toBeNull();
    expect('statusDb' in applyDelta(withDb, removed)).toBe(false);
    expect(diffState(base, { ...base, seq: 4 }).statusDb).toBeUndefined();
  });
});
