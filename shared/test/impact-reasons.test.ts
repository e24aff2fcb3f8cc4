import { describe, expect, it } from 'vitest';
import { HQ_STATES, SERVICE_KEYS } from '@hqwatch/shared';
import { companyDoc, configOf, impactOf, siteOf } from './impact-fixtures.ts';

describe('impact reasons', () => {
  it.each([
    ['failing-over', {}, 'austin', 'voicemail', 'Voicemail for Austin is routed through HQ, which is failing over to HQ secondary'],
    ['failing-back', {}, 'austin', 'telephony', 'Call Manager telephony for Austin runs through HQ, which is failing back to HQ primary'],
    [
      'hq-down',
      {},
      'austin',
      'video',
      'Call Manager video for Austin runs through HQ, which is down, with neither HQ primary nor HQ secondary serving',
    ],
    ['secondary-active', {}, 'austin', 'telephony', 'Call Manager telephony for Austin runs through HQ, which is served by HQ secondary'],
    ['failing-over', {}, 'austin', 'im', 'IM for Austin is not affected while HQ is failing over to HQ secondary'],
    [
      'hq-down',
      {},
      'austin',
      'im',
      "IM for Austin is not known to be available: HQ is down, with neither HQ primary nor HQ secondary serving, and the vendor's notes only say IM survives a failover or failback",
    ],
    [
      'failing-over',
      { 'dvs-boston': 'down' },
      'boston',
      'im',
      'IM for Boston is not known to be available: its users are homed on Boston DVS, which is down',
    ],
    [
      'primary-active',
      { 'dvs-boston': 'reachable' },
      'boston',
      'im',
      'IM for Boston is not known to be available: its users are homed on Boston DVS, which answers but is not serving',
    ],
    [
      'primary-active',
      { 'dvs-boston': 'flapping' },
      'boston',
      'im',
      'IM for Boston is not known to be available: its users are homed on Boston DVS, which is flapping',
    ],
    [
      'primary-active',
      { 'dvs-boston': 'down' },
      'boston',
      'telephony',
      'Call Manager telephony for Boston runs through Boston DVS, which is down',
    ],
    [
      'primary-active',
      { 'dvs-boston': 'reachable' },
      'boston',
      'voicemail',
      'Voicemail for Boston is routed through Boston DVS, which answers but is not serving',
    ],
    [
      'primary-active',
      { 'dvs-boston': 'flapping' },
      'boston',
      'video',
      'Call Manager video for Boston runs through Boston DVS, which is flapping',
    ],
    [
      'primary-active',
      { 'dvs-boston': 'unknown' },
      'boston',
      'telephony',
      'Call Manager telephony for Boston runs through Boston DVS, which has not been assessed yet',
    ],
    [
      'failing-over',
      {},
      'miami',
      'drsIntersite',
      'Intersite calls for Miami are unavailable: its only DRS access is through HQ, which is failing over to HQ secondary',
    ],
    [
      'failing-over',
      { 'dvs-boston': 'down' },
      'boston',
      'drsIntersite',
      'Intersite calls for Boston are unavailable: none of its DRS paths is serving (Boston DVS is down; HQ is failing over to HQ secondary)',
    ],
    [
      'failing-over',
      { 'dvs-boston': 'down' },
      'seattle',
      'drsIntersite',
      'Intersite calls for Seattle reach DRS through Denver DVS, which is serving',
    ],
    ['failing-over', {}, 'austin', 'accountCodes', 'The Account Code service for Austin runs on HQ, which is failing over to HQ secondary'],
    ['failing-over', {}, 'austin', 'workgroups', 'The Workgroup service for Austin runs on HQ, which is failing over to HQ secondary'],
    [
      'monitor-blind',
      {},
      'boston',
      'voicemail',
      'The state of voicemail for Boston is unknown: the monitor cannot see the network, so nothing is declared down',
    ],
  ] as const)('%s %j: %s %s reads "%s"', (state, nodes, site, service, reason) => {
    expect(siteOf(impactOf(state, nodes).sites, site).services[service].reason).toBe(reason);
  });

  it.each(HQ_STATES)('in %s every reason names its site, and no reason shows a bare id', (state) => {
    for (const site of impactOf(state, { 'dvs-boston': 'down', 'dvs-denver': 'flapping' }).sites) {
      for (const key of SERVICE_KEYS) {
        const reason = site.services[key].reason;
        expect(reason, `${site.id} ${key}`).toContain(site.name);
        expect(reason, `${site.id} ${key}`).not.toMatch(/dvs-|failing-|-active|hq-down|monitor-blind|drsIntersite|configChanges/);
      }
    }
  });

  it('dual-active: every reason states the assumption it was computed on, and why it is at risk', () => {
    for (const site of impactOf('dual-active', { 'dvs-boston': 'down' }).sites) {
      for (const key of SERVICE_KEYS) {
        expect(site.services[key].reason, `${site.id} ${key}`).toMatch(
          /\(at risk: computed on the assumption that HQ services are answered, since both HQ primary and HQ secondary claim to be HQ\)$/,
        );
        expect(site.services[key].reason).not.toMatch(/last known/);
        expect(site.services[key].atRisk).toBe(true);
      }
    }
    expect(siteOf(impactOf('dual-active').sites, 'austin').services.telephony.reason).toMatch(
      /^Call Manager telephony for Austin runs through HQ, which is claimed by both HQ primary and HQ secondary/,
    );
  });

  it('reasons use the names the operator configured', () => {
    const config = configOf({
      ...companyDoc,
      headquarters: {
        primary: { ...companyDoc.headquarters.primary, name: 'Dallas PBX' },
        secondary: { ...companyDoc.headquarters.secondary, name: 'Phoenix PBX' },
      },
      servers: companyDoc.servers.map((s) => (s.id === 'dvs-boston' ? { ...s, name: 'Boston Annex' } : s)),
    });
    const sites = impactOf('failing-over', { 'dvs-boston': 'down' }, config).sites;
    expect(siteOf(sites, 'boston').services.telephony.reason).toBe(
      'Call Manager telephony for Boston runs through Boston Annex, which is down',
    );
    expect(siteOf(sites, 'austin').services.telephony.reason).toBe(
      'Call Manager telephony for Austin runs through HQ, which is failing over to Phoenix PBX',
    );
  });
});
