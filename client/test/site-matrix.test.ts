import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, isImpacted, matrixCounts, selectSites } from '../src/sites/site-matrix.ts';
import { site } from './fixtures.ts';

const sites = [
  site('austin'),
  site('boston', ['voicemail']),
  site('chicago', ['telephony', 'video', 'voicemail']),
  site('denver', [], { name: 'Denver 10' }),
  site('elpaso', [], { name: 'Denver 9' }),
];
sites[0]!.services.im = { status: 'unknown' };

const ids = (list: { id: string }[]) => list.map((s) => s.id);

describe('site matrix rows', () => {
  it('puts the most impacted sites first by default, down before unknown, names breaking ties', () => {
    expect(ids(selectSites(sites, DEFAULT_QUERY))).toEqual(['chicago', 'boston', 'austin', 'elpaso', 'denver']);
  });

  it('sorts names naturally (9 before 10), both ways', () => {
    const byName = selectSites(sites, { ...DEFAULT_QUERY, sort: 'name', descending: false });
    expect(ids(byName)).toEqual(['austin', 'boston', 'chicago', 'elpaso', 'denver']);
    const reversed = selectSites(sites, { ...DEFAULT_QUERY, sort: 'name', descending: true });
    expect(ids(reversed)).toEqual(['denver', 'elpaso', 'chicago', 'boston', 'austin']);
  });

  it('sorts by one service, worst first', () => {
    expect(ids(selectSites(sites, { ...DEFAULT_QUERY, sort: 'telephony' }))[0]).toBe('chicago');
    expect(ids(selectSites(sites, { ...DEFAULT_QUERY, sort: 'im' }))[0]).toBe('austin');
  });

  it('shows only impacted sites on request', () => {
    expect(ids(selectSites(sites, { ...DEFAULT_QUERY, onlyImpacted: true }))).toEqual(['chicago', 'boston']);
  });

  it('filters by part of the name or id, ignoring case', () => {
    expect(ids(selectSites(sites, { ...DEFAULT_QUERY, text: 'DENVER' }))).toEqual(['elpaso', 'denver']);
    expect(ids(selectSites(sites, { ...DEFAULT_QUERY, text: 'elp' }))).toEqual(['elpaso']);
  });

  it('never reorders the array it is given', () => {
    const before = ids(sites);
    selectSites(sites, { ...DEFAULT_QUERY, sort: 'name' });
    expect(ids(sites)).toEqual(before);
  });

  it('counts impacted sites as the banner does: any service down', () => {
    expect(isImpacted(sites[0]!)).toBe(false);
    expect(matrixCounts(sites)).toEqual({ total: 5, impacted: 2 });
  });
});
