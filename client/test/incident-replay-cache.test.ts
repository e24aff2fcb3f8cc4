import { describe, expect, it } from 'vitest';
import { atMoment, changePoints, createInterner, keepIdentity, stretchesAround, stretchOf } from '../src/incidents/replay-cache.ts';
import { detail, TIMES } from './incident-fixtures.ts';
import { failingOver, iso, liveState, site, T0 } from './fixtures.ts';

describe('change points', () => {
  it('are the distinct moments of recorded changes, notes left out', () => {
    expect(changePoints(detail().timeline)).toEqual([TIMES.start, TIMES.secondary, TIMES.failback, TIMES.primary, TIMES.end]);
  });

  it('include both ends of a monitor gap', () => {
    const gap = {
      type: 'monitor-gap' as const,
      at: iso(T0 + 9000),
      incidentId: 'x',
      from: iso(T0 + 2000),
      to: iso(T0 + 9000),
      durationMs: 7000,
    };
    expect(changePoints([gap])).toEqual([T0 + 2000, T0 + 9000]);
  });
});

describe('stretchOf', () => {
  const points = [10, 20, 30];
  it.each([
    [5, 0],
    [10, 1],
    [19, 1],
    [20, 2],
    [30, 3],
    [99, 3],
  ])('moment %d is in stretch %d', (at, stretch) => {
    expect(stretchOf(points, at)).toBe(stretch);
  });
});

describe('atMoment', () => {
  it('moves the moment and the open window clock, and nothing else', () => {
    const state = failingOver(T0);
    const moved = atMoment(state, T0 + 90_000);
    expect(moved.at).toBe(iso(T0 + 90_000));
    expect(moved.hq.window).toMatchObject({ elapsedMs: 90_000, overrun: false });
    expect(moved.sites).toBe(state.sites);
    expect(state.hq.window!.elapsedMs).toBe(0);
    expect(atMoment(state, T0 + 21 * 60_000).hq.window!.overrun).toBe(true);
  });

  it('without a window only the moment changes', () => {
    const state = liveState();
    expect(atMoment(state, T0 + 5000)).toEqual({ ...state, at: iso(T0 + 5000) });
  });
});

describe('keepIdentity', () => {
  it('keeps unchanged sites and nodes, and the arrays when nothing in them changed', () => {
    const before = liveState({ sites: [site('hq'), site('boston')] });
    const same = keepIdentity(before, structuredClone(before));
    expect(same.sites).toBe(before.sites);
    expect(same.nodes).toBe(before.nodes);

    const after = keepIdentity(before, liveState({ sites: [site('hq', ['telephony']), site('boston')] }));
    expect(after.sites).not.toBe(before.sites);
    expect(after.sites[0]).not.toBe(before.sites[0]);
    expect(after.sites[0]!.services.telephony.status).toBe('down');
    expect(after.sites[1]).toBe(before.sites[1]);
  });

  it('sees a changed reason or Call Manager address', () => {
    const before = liveState({ sites: [site('hq')] });
    const moved = liveState({ sites: [site('hq', [], { callManagerAddress: '10.2.0.10' })] });
    expect(keepIdentity(before, moved).sites[0]).not.toBe(before.sites[0]);
  });

  it('takes the next state whole when there is no previous one', () => {
    const next = liveState();
    expect(keepIdentity(null, next)).toBe(next);
  });
});

describe('createInterner', () => {
  it('keeps one object per distinct version of a site or node, across answers', () => {
    const intern = createInterner();
    const first = intern(liveState({ sites: [site('hq'), site('boston')] }));
    const second = intern(liveState({ sites: [site('hq', ['telephony']), site('boston')] }));
    const third = intern(liveState({ sites: [site('hq'), site('boston')] }));
    expect(second.sites[1]).toBe(first.sites[1]);
    expect(second.sites[0]).not.toBe(first.sites[0]);
    expect(third.sites[0]).toBe(first.sites[0]);
    expect(third.nodes[0]).toBe(first.nodes[0]);
  });
});

describe('stretchesAround', () => {
  it('fetches the nearest stretches first, later before earlier, within the incident', () => {
    expect(stretchesAround(3, 10, 2)).toEqual([4, 2, 5, 1]);
    expect(stretchesAround(1, 3, 3)).toEqual([2, 3]);
    expect(stretchesAround(10, 10, 1)).toEqual([9]);
  });
});
