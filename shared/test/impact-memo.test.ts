import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeImpact, HQ_STATES, type HqState, type NodeHealth, type NodeStatus, type SiteView } from '@hqwatch/shared';
import { company, companyWithoutDrs, hqIn, nodesWith } from './impact-fixtures.ts';

const NODE_STATUSES: NodeStatus[] = ['serving', 'reachable', 'down', 'unknown'];
const servers = ['primary', 'secondary', 'dvs-boston', 'dvs-denver', 'dvs-miami'];
const round = fc.record({
  state: fc.constantFrom(...HQ_STATES),
  nodes: fc.record(
    Object.fromEntries(servers.map((id) => [id, fc.record({ status: fc.constantFrom(...NODE_STATUSES), flapping: fc.boolean() })])),
  ) as fc.Arbitrary<Record<string, NodeHealth>>,
  drs: fc.boolean(),
});

describe('the impact of a round, given the previous round', () => {
  it('is the impact computed afresh, whatever the rounds before', () => {
    fc.assert(
      fc.property(fc.array(round, { minLength: 1, maxLength: 8 }), (rounds) => {
        let previous: readonly SiteView[] | undefined;
        for (const r of rounds) {
          const config = r.drs ? company : companyWithoutDrs;
          const fresh = computeImpact({ config, hq: hqIn(r.state), nodes: r.nodes });
          const memo = computeImpact({ config, hq: hqIn(r.state), nodes: r.nodes, previous });
          expect(memo).toEqual(fresh);
          previous = memo.sites;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('gives back the very site of the previous round when nothing it depends on changed', () => {
    const first = computeImpact({ config: company, hq: hqIn('primary-active'), nodes: nodesWith() });
    const same = computeImpact({ config: company, hq: hqIn('primary-active'), nodes: nodesWith(), previous: first.sites });
    same.sites.forEach((site, i) => expect(site).toBe(first.sites[i]));
    // Boston DVS down: only the sites that go through it are new.
    const bostonDown = computeImpact({
      config: company,
      hq: hqIn('primary-active'),
      nodes: nodesWith({ 'dvs-boston': 'down' }),
      previous: same.sites,
    });
    const changed = bostonDown.sites.filter((site, i) => site !== same.sites[i]).map((s) => s.id);
    expect(changed.sort()).toEqual(['boston', 'seattle']);
  });

  it('computes a site again when its config changed, even if its inputs did not', () => {
    const first = computeImpact({ config: company, hq: hqIn('primary-active' as HqState), nodes: nodesWith() });
    const renamed = { ...company, sites: company.sites.map((s) => (s.id === 'austin' ? { ...s, name: 'Austin TX' } : s)) };
    const next = computeImpact({ config: renamed, hq: hqIn('primary-active'), nodes: nodesWith(), previous: first.sites });
    expect(next.sites.find((s) => s.id === 'austin')!.services.voicemail.reason).toMatch(/^Voicemail for Austin TX /);
    expect(next.sites.find((s) => s.id === 'hq')).toBe(first.sites.find((s) => s.id === 'hq'));
  });
});
