import { describe, expect, it } from 'vitest';
import { computeImpact, HQ_STATES, SERVICE_KEYS } from '@hqwatch/shared';
import type { HqState, NodeStatus, ServiceKey } from '@hqwatch/shared';
import { company, companyWithoutDrs, configOf, companyDoc, hqIn, impactOf, nodesWith, siteOf, statusesOf } from './impact-fixtures.ts';

type Row = {
  name: string;
  state: HqState;
  nodes?: Record<string, NodeStatus | 'flapping'>;
  site: string;
  expect: Partial<Record<ServiceKey, string>>;
};

const GLOBALS_OK = { configChanges: 'ok', accountCodes: 'ok', workgroups: 'ok' };
const GLOBALS_DOWN = { configChanges: 'down', accountCodes: 'down', workgroups: 'down' };

const rows: Row[] = [
  // HQ alone
  {
    name: 'HQ-homed site, primary active: everything ok',
    state: 'primary-active',
    site: 'austin',
    expect: { telephony: 'ok', video: 'ok', im: 'ok', voicemail: 'ok', drsIntersite: 'ok', ...GLOBALS_OK },
  },
  {
    name: 'HQ-homed site, secondary active: everything runs through the secondary',
    state: 'secondary-active',
    site: 'austin',
    expect: { telephony: 'ok', voicemail: 'ok', drsIntersite: 'ok', ...GLOBALS_OK },
  },
  {
    name: 'HQ-homed site, failing over: loses all but IM',
    state: 'failing-over',
    site: 'austin',
    expect: { telephony: 'down', video: 'down', im: 'ok', voicemail: 'down', drsIntersite: 'down', ...GLOBALS_DOWN },
  },
  {
    name: 'HQ-homed site, failing back: loses all but IM',
    state: 'failing-back',
    site: 'austin',
    expect: { telephony: 'down', video: 'down', im: 'ok', voicemail: 'down', drsIntersite: 'down', ...GLOBALS_DOWN },
  },
  {
    // The notes only say IM survives a failover or failback: with no move under way it is not known.
    name: 'HQ-homed site, HQ down: loses everything HQ provides, IM not known',
    state: 'hq-down',
    site: 'austin',
    expect: { telephony: 'down', video: 'down', im: 'unknown', voicemail: 'down', drsIntersite: 'down', ...GLOBALS_DOWN },
  },
  {
    name: 'HQ-homed site, starting: nothing known',
    state: 'starting',
    site: 'austin',
    expect: {
      telephony: 'unknown',
      video: 'unknown',
      im: 'unknown',
      voicemail: 'unknown',
      drsIntersite: 'unknown',
      configChanges: 'unknown',
    },
  },
  {
    name: 'DVS-homed site, starting: what its serving DVS provides is known, IM included',
    state: 'starting',
    site: 'boston',
    expect: { telephony: 'ok', voicemail: 'ok', drsIntersite: 'ok', im: 'ok', configChanges: 'unknown' },
  },
  // Distributed server down, whatever HQ does
  {
    name: 'DVS down, primary active: its site loses telephony, video, voicemail, IM not known; DRS kept through HQ',
    state: 'primary-active',
    nodes: { 'dvs-boston': 'down' },
    site: 'boston',
    expect: { telephony: 'down', video: 'down', im: 'unknown', voicemail: 'down', drsIntersite: 'ok', ...GLOBALS_OK },
  },
  {
    name: 'DVS down, secondary active: same, DRS kept through the secondary',
    state: 'secondary-active',
    nodes: { 'dvs-boston': 'down' },
    site: 'boston',
    expect: { telephony: 'down', voicemail: 'down', drsIntersite: 'ok', ...GLOBALS_OK },
  },
  {
    name: 'DVS down during a failover: its site loses every DRS path too, IM not known',
    state: 'failing-over',
    nodes: { 'dvs-boston': 'down' },
    site: 'boston',
    expect: { telephony: 'down', video: 'down', im: 'unknown', voicemail: 'down', drsIntersite: 'down', ...GLOBALS_DOWN },
  },
  {
    name: 'DVS down during a failover: another DVS site keeps its own services',
    state: 'failing-over',
    nodes: { 'dvs-boston': 'down' },
    site: 'miami',
    expect: { telephony: 'ok', video: 'ok', voicemail: 'ok', drsIntersite: 'down', ...GLOBALS_DOWN },
  },
  {
    name: 'DVS reachable but not serving counts as down',
    state: 'primary-active',
    nodes: { 'dvs-boston': 'reachable' },
    site: 'boston',
    expect: { telephony: 'down', video: 'down', im: 'unknown', voicemail: 'down' },
  },
  {
    name: 'DVS flapping counts as down',
    state: 'primary-active',
    nodes: { 'dvs-boston': 'flapping' },
    site: 'boston',
    expect: { telephony: 'down', video: 'down', im: 'unknown', voicemail: 'down' },
  },
  {
    name: 'DVS unknown makes what it serves unknown',
    state: 'primary-active',
    nodes: { 'dvs-boston': 'unknown' },
    site: 'boston',
    expect: { telephony: 'unknown', video: 'unknown', im: 'unknown', voicemail: 'unknown', drsIntersite: 'ok' },
  },
  {
    name: 'DVS unknown during a failover: DRS unknown when no path is known to serve',
    state: 'failing-over',
    nodes: { 'dvs-boston': 'unknown' },
    site: 'boston',
    expect: { drsIntersite: 'unknown' },
  },
  {
    name: 'DVS down does not touch voicemail routed through HQ',
    state: 'primary-active',
    nodes: { 'dvs-denver': 'down' },
    site: 'denver',
    expect: { telephony: 'down', voicemail: 'ok', drsIntersite: 'down' },
  },
  {
    name: 'DVS down and HQ failing over: voicemail through HQ lost as well',
    state: 'failing-over',
    nodes: { 'dvs-denver': 'down' },
    site: 'denver',
    expect: { telephony: 'down', voicemail: 'down', drsIntersite: 'down' },
  },
  {
    name: 'DVS without DRS down: a site whose DRS is through HQ keeps intersite calls',
    state: 'primary-active',
    nodes: { 'dvs-miami': 'down' },
    site: 'miami',
    expect: { telephony: 'down', voicemail: 'down', drsIntersite: 'ok' },
  },
  // Several DRS paths
  {
    name: 'two DVS DRS paths, one down: intersite calls kept',
    state: 'failing-over',
    nodes: { 'dvs-boston': 'down' },
    site: 'seattle',
    expect: { drsIntersite: 'ok' },
  },
  {
    name: 'two DVS DRS paths, both down: intersite calls lost even with HQ serving',
    state: 'primary-active',
    nodes: { 'dvs-boston': 'down', 'dvs-denver': 'down' },
    site: 'seattle',
    expect: { drsIntersite: 'down' },
  },
  {
    name: 'two DVS DRS paths, one down, one unknown: unknown',
    state: 'primary-active',
    nodes: { 'dvs-boston': 'down', 'dvs-denver': 'unknown' },
    site: 'seattle',
    expect: { drsIntersite: 'unknown' },
  },
  { name: 'DVS and HQ paths, DVS serving during a failover: kept', state: 'failing-over', site: 'boston', expect: { drsIntersite: 'ok' } },
  // The HQ verdict, not the pair's node statuses, decides for HQ-homed services.
  {
    name: 'primary active with the secondary down: nothing lost',
    state: 'primary-active',
    nodes: { secondary: 'down' },
    site: 'austin',
    expect: { telephony: 'ok', configChanges: 'ok' },
  },
];

describe('impact rules', () => {
  it.each(rows)('$name', (row) => {
    const site = siteOf(impactOf(row.state, row.nodes).sites, row.site);
    expect(statusesOf(site)).toMatchObject(row.expect);
  });
});

describe('call manager address', () => {
  it.each([
    ['primary-active', '10.1.0.10'],
    ['secondary-active', '10.2.0.10'],
    // No server controls the system during a window: the address users will need once it
    // completes is `hq.targetAddress`, never a site's.
    ['failing-over', null],
    ['failing-back', null],
    // No server HQ, or two claimants: no address is given rather than a wrong one.
    ['hq-down', null],
    ['starting', null],
    ['monitor-blind', null],
    ['dual-active', null],
  ] as const)('%s: every site shows %s', (state, address) => {
    for (const site of impactOf(state, { 'dvs-boston': 'down' }).sites) expect(site.callManagerAddress, site.id).toBe(address);
  });
});

/** Expected reach of a DVS and of HQ, for the cross product below. */
const DVS_REACH = { serving: 'ok', reachable: 'down', down: 'down', unknown: 'unknown', flapping: 'down' } as const;
const HQ_REACH: Record<HqState, 'ok' | 'down' | 'unknown'> = {
  starting: 'unknown',
  'primary-active': 'ok',
  'failing-over': 'down',
  'secondary-active': 'ok',
  'failing-back': 'down',
  'hq-down': 'down',
  'dual-active': 'ok',
  'monitor-blind': 'unknown',
};
const HQ_IM: Record<HqState, 'ok' | 'unknown'> = {
  starting: 'unknown',
  'primary-active': 'ok',
  'failing-over': 'ok',
  'secondary-active': 'ok',
  'failing-back': 'ok',
  'hq-down': 'unknown',
  'dual-active': 'ok',
  'monitor-blind': 'unknown',
};
const anyPath = (reaches: string[]) => (reaches.includes('ok') ? 'ok' : reaches.includes('unknown') ? 'unknown' : 'down');

describe('HQ state × DVS status × DRS paths × DRS enabled', () => {
  const cases = HQ_STATES.flatMap((state) =>
    (Object.keys(DVS_REACH) as (keyof typeof DVS_REACH)[]).flatMap((dvs) => [true, false].map((drs) => ({ state, dvs, drs }))),
  );

  it.each(cases)('$state, Boston DVS $dvs, DRS enabled $drs', ({ state, dvs, drs }) => {
    const config = drs ? company : companyWithoutDrs;
    const { sites } = impactOf(state, { 'dvs-boston': dvs }, config);
    const blind = state === 'monitor-blind';
    const hq = HQ_REACH[state];
    const boston = DVS_REACH[dvs];
    const expected = (reach: string) => (blind ? 'unknown' : reach);
    const drsExpected = (reach: string) => (drs ? expected(reach) : 'n/a');

    const bostonSite = statusesOf(siteOf(sites, 'boston'));
    expect(bostonSite).toEqual({
      telephony: expected(boston),
      video: expected(boston),
      // Boston's users are homed on Boston DVS: IM is known only while it serves.
      im: expected(boston === 'ok' ? 'ok' : 'unknown'),
      voicemail: expected(boston),
      drsIntersite: drsExpected(anyPath([boston, hq])),
      configChanges: expected(hq),
      accountCodes: expected(hq),
      workgroups: expected(hq),
    });
    const austin = statusesOf(siteOf(sites, 'austin'));
    expect(austin).toMatchObject({
      telephony: expected(hq),
      voicemail: expected(hq),
      drsIntersite: drsExpected(hq),
      // HQ-homed IM: ok while a server is HQ and during a failover or failback (the notes), else not known.
      im: expected(HQ_IM[state]),
    });
    const seattle = statusesOf(siteOf(sites, 'seattle'));
    expect(seattle).toMatchObject({ telephony: expected('ok'), drsIntersite: drsExpected(anyPath([boston, 'ok'])) });

    const atRisk = state === 'dual-active';
    for (const site of sites) {
      for (const key of SERVICE_KEYS) {
        const service = site.services[key];
        expect(service.atRisk === true, `${site.id} ${key} at risk`).toBe(atRisk && service.status !== 'n/a');
      }
    }
  });
});

describe('edge topologies', () => {
  it('a node missing from the input counts as unknown, never as serving', () => {
    const nodes = nodesWith();
    delete nodes['dvs-boston'];
    const { sites } = computeImpact({ config: company, hq: hqIn('primary-active'), nodes });
    expect(statusesOf(siteOf(sites, 'boston'))).toMatchObject({ telephony: 'unknown', voicemail: 'unknown', drsIntersite: 'ok' });
  });

  it('a site with no DRS path while DRS is enabled is n/a and says why', () => {
    const config = configOf({ ...companyDoc, sites: [{ id: 'lab', name: 'Lab', users: 'hq', voicemail: 'hq' }] });
    const drs = computeImpact({ config, hq: hqIn('failing-over'), nodes: nodesWith({}, config) }).sites[0].services.drsIntersite;
    expect(drs).toEqual({ status: 'n/a', reason: 'No DRS path is configured for Lab', reasonCode: 'drs-unset', params: [] });
  });

  it('sites keep config order and each has the eight services', () => {
    const { sites } = impactOf('failing-over');
    expect(sites.map((s) => s.id)).toEqual(company.sites.map((s) => s.id));
    for (const site of sites) expect(Object.keys(site.services)).toEqual([...SERVICE_KEYS]);
  });

  it('no sites: no site views, but the global services still follow HQ', () => {
    const config = configOf({ ...companyDoc, sites: [] });
    const impact = computeImpact({ config, hq: hqIn('failing-back'), nodes: nodesWith({}, config) });
    expect(impact.sites).toEqual([]);
    expect(impact.summary.globalServicesDown).toBe(true);
  });
});
