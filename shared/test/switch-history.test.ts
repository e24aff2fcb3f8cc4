import { describe, expect, it } from 'vitest';
import { deriveSwitchEvents, describeSwitchChange, rehomingTimeline, type SwitchStatusEvent } from '@hqwatch/shared';

const T = (s: number) => new Date(Date.UTC(2025, 2, 1, 10, 0, s)).toISOString();
const ctx = { incidentId: 'inc-1', hqState: 'failing-over' as const };

describe('switch changes between two reads', () => {
  it('records changes, first sightings and switches no longer listed, nothing else', () => {
    const events = deriveSwitchEvents({ hq: { a: 110, b: 110, gone: 110 } }, { hq: { a: 490, b: 110, new: 110 } }, T(0), ctx);
    expect(events.map((e) => [e.siteId, e.switch, e.from, e.to])).toEqual([
      ['hq', 'a', 110, 490],
      ['hq', 'gone', 110, null],
      ['hq', 'new', null, 110],
    ]);
    expect(events.every((e) => e.incidentId === 'inc-1' && e.hqState === 'failing-over' && e.at === T(0))).toBe(true);
  });

  it('a site dropped from the mapping ends its switches', () => {
    expect(deriveSwitchEvents({ old: { x: 110 } }, {}, T(0), ctx)).toMatchObject([{ siteId: 'old', switch: 'x', from: 110, to: null }]);
  });
});

describe('the re-homing timeline of an incident', () => {
  const ev = (s: number, sw: string, from: number | null, to: number | null, hqState: SwitchStatusEvent['hqState']): SwitchStatusEvent => ({
    type: 'switch-status',
    at: T(s),
    incidentId: 'inc-1',
    siteId: 'hq',
    switch: sw,
    from,
    to,
    hqState,
  });

  it('shows which switches lost communication and when each came back under the secondary', () => {
    const [site] = rehomingTimeline([
      ev(10, 'sw-2', 110, 490, 'failing-over'),
      ev(10, 'sw-1', 110, 490, 'failing-over'),
      ev(40, 'sw-1', 490, 110, 'secondary-active'),
      ev(55, 'sw-2', 490, 110, 'secondary-active'),
    ]);
    expect(site!.siteId).toBe('hq');
    expect(site!.firstLostAt).toBe(T(10));
    expect(site!.allBackAt).toBe(T(55));
    expect(site!.switches.map((s) => s.switch)).toEqual(['sw-1', 'sw-2']);
    expect(site!.switches[0]!.intervals).toEqual([
      { code: 110, text: 'in service', tone: 'ok', from: null, to: T(10), hqState: null },
      { code: 490, text: 'lost communication', tone: 'bad', from: T(10), to: T(40), hqState: 'failing-over' },
      { code: 110, text: 'in service', tone: 'ok', from: T(40), to: null, hqState: 'secondary-active' },
    ]);
  });

  it('a switch still lost at the end leaves the site not all back', () => {
    const [site] = rehomingTimeline([
      ev(10, 'sw-1', 110, 490, 'failing-over'),
      ev(10, 'sw-2', 110, 490, 'failing-over'),
      ev(40, 'sw-1', 490, 110, 'secondary-active'),
    ]);
    expect(site!.allBackAt).toBeNull();
    expect(site!.switches[1]!.intervals.at(-1)).toMatchObject({ code: 490, to: null });
  });

  it('reads as a sentence in exports', () => {
    expect(describeSwitchChange(ev(40, 'sw-1', 490, 110, 'secondary-active'), 'Headquarters')).toBe(
      'sw-1 at Headquarters: lost communication → in service (HQ secondary-active)',
    );
  });
});
