import { describe, expect, it } from 'vitest';
import { flapPercent, initialNodeTracker, nextNodeTracker, rawStateOf } from '@hqwatch/shared';
import type { NodeStatus, NodeStatusOptions, NodeTracker, RawNodeState } from '@hqwatch/shared';

const DEFAULTS: NodeStatusOptions = { failAfter: 3, recoverAfter: 2, flapEnter: 30, flapLeave: 20 };
/** Thresholds no history can reach: debounce alone. */
const NO_FLAP = { flapEnter: 101, flapLeave: 101 };

const RAW: Record<string, RawNodeState | null> = { S: 'serving', R: 'reachable', D: 'down', '-': null };

/** Raw states from a compact string: S serving, R reachable, D down, - late round. */
function raws(text: string): (RawNodeState | null)[] {
  return [...text].map((c) => RAW[c]!);
}

function stamp(round: number): string {
  return new Date(Date.UTC(2026, 10, 25, 16, 0, 0) + round * 2000).toISOString();
}

/** Runs rounds from `start` and returns every tracker, one per round. */
function play(rounds: (RawNodeState | null)[], opts: NodeStatusOptions = DEFAULTS, start = initialNodeTracker(stamp(0))): NodeTracker[] {
  const out: NodeTracker[] = [];
  let tracker = start;
  rounds.forEach((raw, i) => {
    tracker = nextNodeTracker(tracker, raw, stamp(i + 1), opts);
    out.push(tracker);
  });
  return out;
}

/** A tracker that has been steadily `raw` for a full flap history. */
function steady(raw: RawNodeState, opts: NodeStatusOptions = DEFAULTS): NodeTracker {
  return play(Array(21).fill(raw), opts).at(-1)!;
}

function statusChanges(trackers: NodeTracker[], start: NodeTracker): number {
  return trackers.filter((t, i) => t.status !== (i === 0 ? start : trackers[i - 1]!).status).length;
}

/** A full 21-round history that changes state at the listed pairs (0 = between the two oldest entries). */
function changedAt(...pairs: number[]): RawNodeState[] {
  const history: RawNodeState[] = ['serving'];
  for (let pair = 0; pair < 20; pair++) {
    const prev = history[pair]!;
    history.push(pairs.includes(pair) ? (prev === 'serving' ? 'down' : 'serving') : prev);
  }
  return history;
}

describe('rawStateOf', () => {
  it.each([
    [
      'every service probe passed',
      [
        { ok: true, role: 'service' },
        { ok: true, role: 'service' },
      ],
      'serving',
    ],
    [
      'services passed, host probe failed',
      [
        { ok: true, role: 'service' },
        { ok: false, role: 'host' },
      ],
      'serving',
    ],
    [
      'one service probe failed',
      [
        { ok: true, role: 'service' },
        { ok: false, role: 'service' },
      ],
      'reachable',
    ],
    [
      'services failed, host probe passed',
      [
        { ok: false, role: 'service' },
        { ok: true, role: 'host' },
      ],
      'reachable',
    ],
    [
      'every probe failed',
      [
        { ok: false, role: 'service' },
        { ok: false, role: 'host' },
      ],
      'down',
    ],
    [
      'only host probes, all passed',
      [
        { ok: true, role: 'host' },
        { ok: true, role: 'host' },
      ],
      'serving',
    ],
    [
      'only host probes, one passed',
      [
        { ok: true, role: 'host' },
        { ok: false, role: 'host' },
      ],
      'reachable',
    ],
    ['no probe at all', [], 'down'],
    // Host evidence: a refused connection, a port-unreachable, an HTTP or SIP error came from the host.
    [
      'every service refused, no host probe: the host answered',
      [
        { ok: false, role: 'service', hostAnswered: true },
        { ok: false, role: 'service' },
      ],
      'reachable',
    ],
    [
      'the host probe refused: the host answered',
      [
        { ok: false, role: 'service' },
        { ok: false, role: 'host', hostAnswered: true },
      ],
      'reachable',
    ],
    [
      'every probe timed out: nothing answered',
      [
        { ok: false, role: 'service', hostAnswered: false },
        { ok: false, role: 'host' },
      ],
      'down',
    ],
  ] as const)('%s → %s', (_name, probes, expected) => {
    expect(rawStateOf(probes)).toBe(expected);
  });
});

describe('debounce', () => {
  const S: NodeStatus = 'serving';
  const R: NodeStatus = 'reachable';
  const D: NodeStatus = 'down';
  const U: NodeStatus = 'unknown';
  it.each([
    ['a first serving verdict takes recoverAfter rounds', 'unknown', 'SS', [U, S]],
    ['a first down verdict takes failAfter rounds', 'unknown', 'DDD', [U, U, D]],
    ['a first reachable verdict takes failAfter rounds', 'unknown', 'RRR', [U, U, R]],
    ['mixed failing rounds give the best they all support', 'unknown', 'RDR', [U, U, R]],
    ['a serving round breaks a failing streak from unknown', 'unknown', 'DDSDD', [U, U, U, U, U]],
    ['serving goes down after failAfter down rounds', 'serving', 'DDD', [S, S, D]],
    ['two down rounds then serving change nothing', 'serving', 'DDSDD', [S, S, S, S, S]],
    ['dead services with a flickering host probe still fail', 'serving', 'DRD', [S, S, R]],
    ['down recovers after recoverAfter serving rounds', 'down', 'SS', [D, S]],
    ['a recovering streak gives the worst it supports', 'down', 'RS', [D, R]],
    ['a worse round breaks a recovering streak', 'reachable', 'SDS', [R, R, R]],
    ['reachable falls to down after failAfter rounds', 'reachable', 'DDD', [R, R, D]],
  ] as const)('%s', (_name, from, rounds, expected) => {
    const start = from === 'unknown' ? initialNodeTracker(stamp(0)) : steady(from);
    const statuses = play(raws(rounds), DEFAULTS, start).map((t) => t.status);
    expect(statuses).toEqual(expected);
  });

  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [5, 4],
  ])('with failAfter %d and recoverAfter %d, changes on exactly that round', (failAfter, recoverAfter) => {
    const opts = { ...DEFAULTS, failAfter, recoverAfter };
    const down = play(Array(failAfter).fill('down'), opts, steady('serving', opts)).map((t) => t.status);
    expect(down.indexOf('down')).toBe(failAfter - 1);
    const up = play(Array(recoverAfter).fill('serving'), opts, steady('down', opts)).map((t) => t.status);
    expect(up.indexOf('serving')).toBe(recoverAfter - 1);
  });

  it('moves `since` only when the status changes', () => {
    const trackers = play(raws('SSSSDDDS'));
    expect(trackers.map((t) => t.since)).toEqual([stamp(0), stamp(2), stamp(2), stamp(2), stamp(2), stamp(2), stamp(7), stamp(7)]);
  });
});

describe('late rounds', () => {
  it('returns the tracker unchanged for a late round', () => {
    const before = play(raws('SSD')).at(-1)!;
    expect(nextNodeTracker(before, null, stamp(9), DEFAULTS)).toBe(before);
  });

  it('neither counts as a failure nor breaks a streak', () => {
    expect(play(raws('SSD--D-D')).map((t) => t.status)).toEqual([
      'unknown',
      'serving',
      'serving',
      'serving',
      'serving',
      'serving',
      'serving',
      'down',
    ]);
    expect(play(raws('SS------')).at(-1)!.status).toBe('serving');
  });

  it('stays out of the flap history', () => {
    expect(play(raws('S-S-D')).at(-1)!.history).toEqual(['serving', 'serving', 'down']);
  });
});

describe('flapPercent', () => {
  const steadyHistory = (): RawNodeState[] => Array(21).fill('serving');

  it('is 0 without a change and 100 when every round changes', () => {
    expect(flapPercent(steadyHistory())).toBe(0);
    expect(flapPercent(changedAt(...Array.from({ length: 20 }, (_, i) => i)))).toBeCloseTo(100, 10);
  });

  it.each([
    // Weight of pair k is 0.75 + k × 0.5 / 19; the 20 weights add up to 20.
    ['the oldest change alone weighs 3.75 %', [0], 3.75],
    ['the newest change alone weighs 6.25 %', [19], 6.25],
    // Worked example: 0.75 + (0.75 + 10 × 0.5/19) + 1.25 = 3.013158 → 3.013158 / 20 = 15.0658 %.
    ['changes at pairs 0, 10 and 19 weigh 15.07 %', [0, 10, 19], 15.065789],
  ])('%s', (_name, pairs, percent) => {
    expect(flapPercent(changedAt(...pairs))).toBeCloseTo(percent, 5);
  });

  it('counts a change between reachable and down like any other', () => {
    const history: RawNodeState[] = [...Array(20).fill('reachable'), 'down'];
    expect(flapPercent(history)).toBeCloseTo(6.25, 10);
  });

  it('weighs a short history as the newest end of a full one', () => {
    expect(flapPercent(['serving', 'down'])).toBeCloseTo(6.25, 10);
    expect(flapPercent([])).toBe(0);
  });

  it('looks at the last 21 entries only', () => {
    expect(flapPercent(['down', ...steadyHistory()])).toBe(0);
  });
});

describe('flapping', () => {
  const bounce = (rounds: number, first: RawNodeState = 'down'): RawNodeState[] =>
    Array.from({ length: rounds }, (_, i) => (i % 2 === 0 ? first : first === 'down' ? 'serving' : 'down'));

  it.each([
    [3, 2],
    [2, 2],
    [1, 2],
    [2, 1],
  ])(
    'a node bouncing every round (failAfter %d, recoverAfter %d) is flapping with at most 2 status changes in 21 rounds',
    (failAfter, recoverAfter) => {
      const opts = { ...DEFAULTS, failAfter, recoverAfter };
      const start = steady('serving', opts);
      const trackers = play(bounce(21), opts, start);
      expect(trackers.at(-1)!.flapping).toBe(true);
      expect(statusChanges(trackers, start)).toBeLessThanOrEqual(2);
    },
  );

  it('holds the status of a node whose every round would pass the debounce', () => {
    const opts = { ...DEFAULTS, failAfter: 1, recoverAfter: 1 };
    const start = steady('serving', opts);
    const held = play(bounce(21), opts, start);
    const firstFlapping = held.findIndex((t) => t.flapping);
    expect(firstFlapping).toBeGreaterThan(0);
    expect(new Set(held.slice(firstFlapping).map((t) => t.status)).size).toBe(1);
    expect(new Set(held.slice(firstFlapping).map((t) => t.since)).size).toBe(1);
    // Without flap detection the same node changes every round.
    const storm = play(bounce(21), { ...opts, ...NO_FLAP }, steady('serving', { ...opts, ...NO_FLAP }));
    expect(statusChanges(storm, start)).toBe(21);
    expect(statusChanges(held, start)).toBeLessThanOrEqual(firstFlapping);
  });

  it('a node bouncing from start stays unknown and flapping', () => {
    const trackers = play(bounce(21, 'serving'));
    expect(trackers.every((t) => t.status === 'unknown')).toBe(true);
    expect(trackers.at(-1)!.flapping).toBe(true);
  });

  it('leaves flapping once the weighted changes fall under the leave threshold, then follows the rounds', () => {
    const opts = { ...DEFAULTS, failAfter: 1, recoverAfter: 1 };
    const flapping = play(bounce(21), opts, steady('serving', opts)).at(-1)!;
    const calm = play(Array(21).fill('down'), opts, flapping);
    const left = calm.findIndex((t) => !t.flapping);
    expect(left).toBeGreaterThan(0);
    expect(flapPercent(calm[left]!.history)).toBeLessThan(opts.flapLeave);
    expect(flapPercent(calm[left - 1]!.history)).toBeGreaterThanOrEqual(opts.flapLeave);
    expect(calm.at(-1)!.status).toBe('down');
    expect(calm.slice(0, left).every((t) => t.status === flapping.status)).toBe(true);
  });

  it('enters at flapEnter and leaves under flapLeave (hysteresis)', () => {
    // Changes at pairs 15 to 18 weigh 4.737 of 20, 23.7 %: enough to stay flapping, not to start.
    const history = changedAt(15, 16, 17, 18);
    expect(flapPercent(history)).toBeGreaterThanOrEqual(20);
    expect(flapPercent(history)).toBeLessThan(30);
    const before = (flapping: boolean): NodeTracker => ({
      status: 'serving',
      since: stamp(0),
      flapping,
      history: history.slice(0, -1),
      streak: null,
    });
    const last = history.at(-1)!;
    expect(nextNodeTracker(before(true), last, stamp(1), DEFAULTS).flapping).toBe(true);
    expect(nextNodeTracker(before(false), last, stamp(1), DEFAULTS).flapping).toBe(false);
  });
});
