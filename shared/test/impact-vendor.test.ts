/**
 * One test per statement of the vendor's disaster-recovery release notes (page 82); each test is
 * named by the sentence it checks, quoted verbatim.
 */
import { describe, expect, it } from 'vitest';
import {
  company,
  companyWithoutDrs,
  GLOBAL_SERVICES,
  impactOf,
  MOVE_STATES,
  SERVING_STATES,
  siteOf,
  statusesOf,
  WINDOW_STATES,
} from './impact-fixtures.ts';

const ALL_OK = {
  telephony: 'ok',
  video: 'ok',
  im: 'ok',
  voicemail: 'ok',
  drsIntersite: 'ok',
  configChanges: 'ok',
  accountCodes: 'ok',
  workgroups: 'ok',
};

describe('failover and failback windows', () => {
  it.each(WINDOW_STATES)('"During these periods, no Headquarter server services are available." (%s)', (state) => {
    const { sites } = impactOf(state);
    for (const site of sites) {
      for (const key of GLOBAL_SERVICES) expect(site.services[key].status, `${site.id} ${key}`).toBe('down');
    }
    for (const id of ['hq', 'austin']) {
      const services = siteOf(sites, id).services;
      expect([services.telephony, services.video, services.voicemail, services.drsIntersite].map((s) => s.status)).toEqual([
        'down',
        'down',
        'down',
        'down',
      ]);
    }
  });

  it.each(SERVING_STATES)(
    '"Failover and failback operation effects are resolved after the operations are complete and the secondary (for failover) or primary (failback) server is functioning as the Headquarters server." (%s)',
    (state) => {
      const { sites, summary } = impactOf(state);
      for (const site of sites) expect(statusesOf(site), site.id).toEqual(ALL_OK);
      expect(summary.sitesImpacted).toBe(0);
      expect(summary.globalServicesDown).toBe(false);
    },
  );

  it('"After the failover operation is complete, the secondary server performs all distributed server and application connectivity activities managed by the Headquarters server."', () => {
    const austin = siteOf(impactOf('secondary-active').sites, 'austin');
    expect(statusesOf(austin)).toEqual(ALL_OK);
    for (const key of ['telephony', 'voicemail', 'configChanges', 'accountCodes', 'workgroups'] as const) {
      expect(austin.services[key].reason).toContain('HQ secondary');
    }
  });

  it('"After the failback operation is complete, the primary server resumes all distributed server and application connectivity activities managed by the Headquarters server."', () => {
    const austin = siteOf(impactOf('primary-active').sites, 'austin');
    expect(statusesOf(austin)).toEqual(ALL_OK);
    expect(austin.services.telephony.reason).toContain('HQ primary');
    expect(austin.services.telephony.reason).not.toContain('HQ secondary');
  });
});

describe('effects on Call Manager', () => {
  it.each(WINDOW_STATES)(
    '"Users configured on the Headquarters server lose most connectivity capabilities, including telephony and video." (%s)',
    (state) => {
      const austin = siteOf(impactOf(state).sites, 'austin');
      expect(austin.services.telephony.status).toBe('down');
      expect(austin.services.video.status).toBe('down');
    },
  );

  // The sentence describes failover and failback operations; an HQ outage is not one (see impact-rules).
  it.each(MOVE_STATES)('"IM connectivity is not affected." (%s)', (state) => {
    for (const site of impactOf(state).sites) {
      expect(site.services.im.status, site.id).toBe('ok');
      // The sentence is about users configured on HQ; users of a serving DVS keep IM through it.
      const onHq = company.sites.find((s) => s.id === site.id)?.users === 'hq';
      expect(site.services.im.reason).toContain(onHq ? 'not affected' : 'which is serving');
    }
  });

  it.each(WINDOW_STATES)('"Users configured on distributed servers maintain all connectivity capabilities." (%s)', (state) => {
    const sites = impactOf(state).sites;
    for (const id of ['boston', 'denver', 'miami', 'seattle']) {
      const services = siteOf(sites, id).services;
      expect([services.telephony.status, services.video.status, services.im.status], id).toEqual(['ok', 'ok', 'ok']);
    }
  });

  it.each(WINDOW_STATES)('"Configuration changes are unavailable." (%s)', (state) => {
    for (const site of impactOf(state).sites) expect(site.services.configChanges.status, site.id).toBe('down');
  });

  it('"Users logging into Call Manager while the secondary server controls the system must specify the IP Address of the secondary server."', () => {
    const secondary = company.headquarters.secondary.address;
    for (const site of impactOf('secondary-active').sites) expect(site.callManagerAddress, site.id).toBe(secondary);
    for (const site of impactOf('primary-active').sites)
      expect(site.callManagerAddress, site.id).toBe(company.headquarters.primary.address);
    // Once the primary is back in control the secondary's address would be wrong.
    expect(impactOf('primary-active').sites[0].callManagerAddress).not.toBe(secondary);
    // Before the secondary controls the system (during the failover) no site is told to use it yet.
    for (const site of impactOf('failing-over').sites) expect(site.callManagerAddress, site.id).toBeNull();
  });
});

describe('effects on voicemail', () => {
  it.each(WINDOW_STATES)('"Sites that receive voicemail through the Headquarters server lose voicemail access." (%s)', (state) => {
    const sites = impactOf(state).sites;
    for (const id of ['hq', 'austin', 'denver']) expect(siteOf(sites, id).services.voicemail.status, id).toBe('down');
  });

  it.each(WINDOW_STATES)('"Mailboxes lose access to any voicemail that is routed through the Headquarters server." (%s)', (state) => {
    // Denver's users are on a distributed server and keep telephony, but their mailboxes are reached through HQ.
    const denver = siteOf(impactOf(state).sites, 'denver');
    expect(denver.services.telephony.status).toBe('ok');
    expect(denver.services.voicemail.status).toBe('down');
    expect(denver.services.voicemail.reason).toMatch(/^Voicemail for Denver is routed through HQ, which is/);
  });

  it.each(WINDOW_STATES)('"Sites that receive voicemail from distributed servers retain voicemail access." (%s)', (state) => {
    const sites = impactOf(state).sites;
    for (const id of ['boston', 'miami', 'seattle']) expect(siteOf(sites, id).services.voicemail.status, id).toBe('ok');
  });
});

describe('effects on other system components', () => {
  it.each(WINDOW_STATES)('"Account Code and Workgroup services are not available." (%s)', (state) => {
    for (const site of impactOf(state).sites) {
      expect(site.services.accountCodes.status, site.id).toBe('down');
      expect(site.services.workgroups.status, site.id).toBe('down');
    }
    expect(impactOf(state).summary.globalServicesDown).toBe(true);
  });

  it.each(WINDOW_STATES)('"Director, Web Client, and Call Manager configuration changes are not available." (%s)', (state) => {
    for (const site of impactOf(state).sites) {
      expect(site.services.configChanges.status).toBe('down');
      expect(site.services.configChanges.reason).toContain('Director, Web Client and Call Manager configuration changes');
    }
  });

  it.each(WINDOW_STATES)(
    '"If DRS is enabled, intersite calls are unavailable to users residing on sites whose only access to a DRS server is through the Headquarters server." (%s)',
    (state) => {
      const sites = impactOf(state).sites;
      // Only through HQ: lost, and the reason says so.
      for (const id of ['hq', 'austin', 'miami']) {
        const drs = siteOf(sites, id).services.drsIntersite;
        expect(drs.status, id).toBe('down');
        expect(drs.reason).toContain('its only DRS access is through HQ');
      }
      // Another path through a serving distributed server: kept.
      for (const id of ['boston', 'denver', 'seattle']) expect(siteOf(sites, id).services.drsIntersite.status, id).toBe('ok');
      // DRS not enabled: the sentence does not apply.
      for (const site of impactOf(state, {}, companyWithoutDrs).sites) expect(site.services.drsIntersite.status).toBe('n/a');
    },
  );
});
