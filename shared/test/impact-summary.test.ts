import { describe, expect, it } from 'vitest';
import type { ImpactSummary } from '@hqwatch/shared';
import { companyWithoutDrs, impactOf } from './impact-fixtures.ts';

const none = { sites: 0, users: null };

describe('impact summary', () => {
  it.each<[string, Parameters<typeof impactOf>, ImpactSummary]>([
    [
      'nothing lost while the primary serves',
      ['primary-active'],
      { sitesImpacted: 0, telephony: none, voicemail: none, drsIntersite: none, globalServicesDown: false },
    ],
    [
      // Every site loses the global services; Denver has no userCount so adds sites but no users.
      'a failover: HQ-homed sites lose telephony; voicemail and DRS through HQ are lost',
      ['failing-over'],
      {
        sitesImpacted: 6,
        telephony: { sites: 2, users: 450 },
        voicemail: { sites: 3, users: 450 },
        drsIntersite: { sites: 3, users: 480 },
        globalServicesDown: true,
      },
    ],
    [
      'Denver DVS down while the primary serves: users null when no lost site has a userCount',
      ['primary-active', { 'dvs-denver': 'down' }],
      {
        sitesImpacted: 2,
        telephony: { sites: 2, users: 70 },
        voicemail: { sites: 1, users: 70 },
        drsIntersite: { sites: 1, users: null },
        globalServicesDown: false,
      },
    ],
    [
      'failover without DRS: intersite calls are not counted',
      ['failing-over', {}, companyWithoutDrs],
      {
        sitesImpacted: 6,
        telephony: { sites: 2, users: 450 },
        voicemail: { sites: 3, users: 450 },
        drsIntersite: none,
        globalServicesDown: true,
      },
    ],
    [
      'blind: nothing is declared lost',
      ['monitor-blind', { 'dvs-boston': 'down' }],
      { sitesImpacted: 0, telephony: none, voicemail: none, drsIntersite: none, globalServicesDown: false },
    ],
    [
      'starting: nothing is declared lost yet',
      ['starting'],
      { sitesImpacted: 0, telephony: none, voicemail: none, drsIntersite: none, globalServicesDown: false },
    ],
    [
      'dual-active keeps counting what is lost',
      ['dual-active', { 'dvs-boston': 'down' }],
      {
        sitesImpacted: 1,
        telephony: { sites: 1, users: 120 },
        voicemail: { sites: 1, users: 120 },
        drsIntersite: none,
        globalServicesDown: false,
      },
    ],
  ])('%s', (_name, args, summary) => {
    expect(impactOf(...args).summary).toEqual(summary);
  });
});
