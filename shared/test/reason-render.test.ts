import { describe, expect, it } from 'vitest';
import { HQ_STATES, memoizeReasons, REASON_CODES, renderReason, SERVICE_KEYS, type ReasonCode, type ReasonParams } from '@hqwatch/shared';
import { company, impactOf } from './impact-fixtures.ts';

const austin = { site: 'Austin', service: 'voicemail' } as const;

describe('renderReason', () => {
  it('words every service of every site in every HQ state from its code and parameters alone', () => {
    for (const state of HQ_STATES) {
      for (const overrides of [{}, { 'dvs-boston': 'down' }, { 'dvs-denver': 'flapping' }] as Record<string, 'down' | 'flapping'>[]) {
        for (const site of impactOf(state, overrides).sites) {
          for (const service of SERVICE_KEYS) {
            const s = site.services[service];
            expect(s.reasonCode, `${state} ${site.id} ${service}`).toBeDefined();
            expect(renderReason(s.reasonCode!, s.params!, { site: site.name, service })).toBe(s.reason);
          }
        }
      }
    }
  });

  it('keeps the site and service out of the parameters, so sites in the same case share them', () => {
    const sites = impactOf('failing-over').sites;
    const [hq, austinSite] = [sites.find((s) => s.id === 'hq')!, sites.find((s) => s.id === 'austin')!];
    expect(hq.services.voicemail.params).toEqual([['HQ', 'failing-over', 'HQ secondary']]);
    expect(austinSite.services.voicemail.params).toEqual(hq.services.voicemail.params);
    expect(JSON.stringify(Object.values(hq.services).map((s) => [s.reasonCode, s.params]))).not.toContain('Headquarters');
  });

  it('says the at-risk assumption after the reason it wraps', () => {
    const s = impactOf('dual-active').sites.find((x) => x.id === 'boston')!.services.telephony;
    expect(s).toMatchObject({ reasonCode: 'at-risk', atRisk: true });
    expect(s.params?.slice(0, 3)).toEqual(['HQ primary', 'HQ secondary', 'via']);
    expect(s.reason).toBe(
      'Call Manager telephony for Boston runs through Boston DVS, which is serving (at risk: computed on the assumption that HQ services are answered, since both HQ primary and HQ secondary claim to be HQ)',
    );
  });

  it('words the contradiction and a removed site', () => {
    expect(renderReason('switches-lost', [1], austin)).toBe(
      'reachability says ok; the status database says its only switch lost communication',
    );
    expect(renderReason('switches-lost', [3], austin)).toBe(
      'reachability says ok; the status database says all 3 switches lost communication',
    );
    expect(renderReason('removed', [], austin)).toBe('Austin is no longer in the configuration');
  });

  it('never throws on a code or parameters it does not know (a reason stored by a newer version)', () => {
    expect(renderReason('no-such-code' as ReasonCode, [], austin)).toBe(
      'voicemail for Austin: reason "no-such-code" is not known to this version of hqwatch',
    );
    expect(renderReason('via', [] as ReasonParams, austin)).toBe(
      'Voicemail for Austin is routed through an unknown provider, which has not been assessed yet',
    );
    expect(renderReason('via', [['HQ', 'exploded' as never]], austin)).toContain('has not been assessed yet');
    for (const code of REASON_CODES) expect(() => renderReason(code, [], austin)).not.toThrow();
  });
});

describe('memoizeReasons', () => {
  it('renders what renderReason renders, once per reason and context', () => {
    const render = memoizeReasons(3);
    const params: ReasonParams = [['HQ', 'failing-over', 'HQ secondary']];
    const first = render('via', params, austin);
    expect(first).toBe(renderReason('via', params, austin));
    expect(render('via', params, austin)).toBe(first);
    expect(render('via', params, { site: 'Boston', service: 'voicemail' })).toBe(
      'Voicemail for Boston is routed through HQ, which is failing over to HQ secondary',
    );
    // Past its limit a generation is dropped, and it still words correctly, old and new.
    for (const site of ['A', 'B', 'C', 'D', 'A', 'E', 'F', 'G', 'H', 'A'])
      expect(render('removed', [], { site, service: 'im' })).toBe(`${site} is no longer in the configuration`);
    expect(render('via', params, austin)).toBe(first);
  });

  it('keeps the sentences most recently asked for: one in use stays, the least recent goes', () => {
    const worded: string[] = [];
    const render = memoizeReasons(2, (code, params, context) => {
      worded.push(context.site);
      return renderReason(code, params, context);
    });
    const word = (site: string) => render('removed', [], { site, service: 'im' });
    word('A');
    word('B');
    word('A'); // asked again: A is now the most recent, B the least
    word('C'); // full: B goes
    word('A');
    word('C');
    word('B'); // worded again; A, asked for before C, goes
    word('C');
    word('A');
    expect(worded).toEqual(['A', 'B', 'C', 'B', 'A']);
  });

  it('covers the whole company in a few hundred sentences', () => {
    const render = memoizeReasons();
    const seen = new Set<string>();
    for (const state of HQ_STATES)
      for (const site of impactOf(state).sites)
        for (const service of SERVICE_KEYS) {
          const s = site.services[service];
          seen.add(render(s.reasonCode!, s.params!, { site: site.name, service }));
        }
    expect(seen.size).toBeLessThan(HQ_STATES.length * company.sites.length * SERVICE_KEYS.length);
  });
});
