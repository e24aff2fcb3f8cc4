import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activeAddressOf,
  closedWindowKind,
  directionOf,
  HQ_STATES,
  hqWindowView,
  incidentIdFor,
  initialHqMachine,
  nextHq,
  targetAddressOf,
  windowKindOf,
} from '@hqwatch/shared';
import type { HqInput, HqMachine, HqState, MoveDirection, NodeStatus, WindowKind } from '@hqwatch/shared';

const OPTS = { recoverAfter: 2 };
const EXPECTED = { minMs: 5 * 60_000, maxMs: 20 * 60_000 };
const WINDOW_KINDS: Partial<Record<HqState, WindowKind>> = { 'failing-over': 'failover', 'failing-back': 'failback', 'hq-down': 'outage' };
const STATUS: Record<string, NodeStatus> = { S: 'serving', R: 'reachable', D: 'down', U: 'unknown' };

/**
 * Round inputs written compactly: the primary's status then the secondary's, `S` serving, `R`
 * reachable (its host answers, its HQ services do not: a stopped standby), `D` down (nothing
 * answers), `U` no verdict. `SR` is normal operation; `blind` = witness lost.
 */
type Step = string;

function input(step: Step): HqInput {
  if (step === 'blind') return { primary: 'serving', secondary: 'down', blind: true };
  return { primary: STATUS[step[0]!]!, secondary: STATUS[step[1]!]!, blind: false };
}

function stamp(round: number): string {
  return new Date(Date.UTC(2026, 10, 25, 16, 0, 0) + round * 2000).toISOString();
}

/** Every machine of a run, one per round; round i happens at stamp(i + 1). */
function run(steps: Step[], opts = OPTS, start: HqMachine = initialHqMachine(stamp(0))): HqMachine[] {
  const out: HqMachine[] = [];
  let m = start;
  steps.forEach((step, i) => {
    m = nextHq(m, input(step), stamp(i + 1), opts);
    out.push(m);
  });
  return out;
}

const states = (steps: Step[], start?: HqMachine) => run(steps, OPTS, start).map((m) => m.state);

/** Sources of the transition tables: each state, and `hq-down` reached three ways. */
type Source = HqState | 'hq-down after a failover' | 'hq-down after a failback';

/** Inputs that lead from the initial machine to each source. */
const PATHS: Record<Source, Step[]> = {
  starting: [],
  'primary-active': ['SR'],
  'failing-over': ['SR', 'RR'],
  'secondary-active': ['RS'],
  'failing-back': ['RS', 'RR'],
  // No move known: it started that way.
  'hq-down': ['RR'],
  // The secondary was down when the primary stopped: no failover possible.
  'hq-down after a failover': ['SR', 'RD'],
  'hq-down after a failback': ['RS', 'DR'],
  'dual-active': ['SS'],
  'monitor-blind': ['SR', 'blind'],
};

function machineIn(source: Source): HqMachine {
  const m = run(PATHS[source]).at(-1) ?? initialHqMachine(stamp(0));
  expect(m.state).toBe(source.startsWith('hq-down') ? 'hq-down' : source);
  return m;
}

describe("DESIGN.md's table, row by row", () => {
  it.each<[HqState, string, Step[]]>([
    ['starting', 'no verdict on either node', ['UU']],
    ['primary-active', 'P serving, S down', ['SD']],
    ['primary-active', 'P serving, S only reachable', ['SR']],
    ['failing-over', 'neither serving after primary-active, S reachable', ['SR', 'DR']],
    ['failing-over', 'neither serving after failing-over, S still reachable', ['SR', 'DR', 'RR']],
    ['secondary-active', 'S serving, P down', ['DS']],
    ['failing-back', 'neither serving after secondary-active, P reachable', ['RS', 'RD']],
    ['failing-back', 'neither serving after failing-back, P still reachable', ['RS', 'RD', 'RR']],
    ['hq-down', 'neither serving at start', ['RR']],
    ['hq-down', 'both down from startup', ['DD']],
    ['hq-down', 'neither serving after dual-active', ['SS', 'RR']],
    ['hq-down', 'the secondary down when the primary stops: no failover possible', ['SR', 'RD']],
    ['hq-down', 'the primary down when the secondary stops: no failback possible', ['RS', 'DR']],
    ['hq-down', 'both down after primary-active', ['SR', 'DD']],
    ['dual-active', 'both serving', ['SS']],
    ['monitor-blind', 'the witness fails', ['SD', 'blind']],
    ['monitor-blind', 'the witness fails before any verdict', ['blind']],
  ])('%s when %s', (expected, _when, steps) => {
    expect(states(steps).at(-1)).toBe(expected);
  });
});

describe('every transition', () => {
  // Columns: P serving only, S serving only, both, neither serving but both answering, only P
  // answering, only S answering, nothing answering, witness lost, no verdict on either.
  const INPUTS = ['SD', 'DS', 'SS', 'RR', 'RD', 'DR', 'DD', 'blind', 'UU'] as const;
  const active = ['primary-active', 'secondary-active', 'dual-active'] as const;
  const TABLE: Record<Source, HqState[]> = {
    starting: [...active, 'hq-down', 'hq-down', 'hq-down', 'hq-down', 'monitor-blind', 'starting'],
    // A failover opens only onto a secondary whose host answers.
    'primary-active': [...active, 'failing-over', 'hq-down', 'failing-over', 'hq-down', 'monitor-blind', 'starting'],
    'failing-over': [...active, 'failing-over', 'hq-down', 'failing-over', 'hq-down', 'monitor-blind', 'starting'],
    'secondary-active': [...active, 'failing-back', 'failing-back', 'hq-down', 'hq-down', 'monitor-blind', 'starting'],
    'failing-back': [...active, 'failing-back', 'failing-back', 'hq-down', 'hq-down', 'monitor-blind', 'starting'],
    // No move known: whatever answers, no window can be named.
    'hq-down': [...active, 'hq-down', 'hq-down', 'hq-down', 'hq-down', 'monitor-blind', 'starting'],
    // The move is remembered: its target coming back resumes the window.
    'hq-down after a failover': [...active, 'failing-over', 'hq-down', 'failing-over', 'hq-down', 'monitor-blind', 'starting'],
    'hq-down after a failback': [...active, 'failing-back', 'failing-back', 'hq-down', 'hq-down', 'monitor-blind', 'starting'],
    'dual-active': [...active, 'hq-down', 'hq-down', 'hq-down', 'hq-down', 'monitor-blind', 'starting'],
    // Blind after primary-active: regaining sight continues from primary-active.
    'monitor-blind': [...active, 'failing-over', 'hq-down', 'failing-over', 'hq-down', 'monitor-blind', 'starting'],
  };
  const cases = (Object.keys(TABLE) as Source[]).flatMap((from) => INPUTS.map((step, i) => [from, step, TABLE[from][i]!] as const));

  it.each(cases)('%s + %s → %s', (from, step, expected) => {
    expect(nextHq(machineIn(from), input(step), stamp(99), OPTS).state).toBe(expected);
  });

  it('covers every state as a source and as a target', () => {
    expect(new Set(cases.map(([from]) => (from.startsWith('hq-down') ? 'hq-down' : from)))).toEqual(new Set(HQ_STATES));
    expect(new Set(cases.map(([, , to]) => to))).toEqual(new Set(HQ_STATES));
  });
});

describe('one node with no verdict', () => {
  // Columns: P unknown & S down, P down & S unknown, P unknown & S reachable, P reachable & S
  // unknown, P serving & S unknown, P unknown & S serving.
  const INPUTS = ['UD', 'DU', 'UR', 'RU', 'SU', 'US'] as const;
  const TABLE: Record<Source, HqState[]> = {
    // Half the evidence decides nothing before a first verdict.
    starting: ['starting', 'starting', 'starting', 'starting', 'primary-active', 'secondary-active'],
    // A primary whose tracker was reset is still taken as serving: no false failover. A failover
    // whose target has no verdict is no window yet: HQ down, the target not assessed.
    'primary-active': ['primary-active', 'hq-down', 'primary-active', 'hq-down', 'primary-active', 'secondary-active'],
    // A window in progress is not closed because its target lost its verdict.
    'failing-over': ['hq-down', 'failing-over', 'failing-over', 'failing-over', 'primary-active', 'secondary-active'],
    'secondary-active': ['hq-down', 'secondary-active', 'hq-down', 'secondary-active', 'primary-active', 'secondary-active'],
    'failing-back': ['failing-back', 'hq-down', 'failing-back', 'failing-back', 'primary-active', 'secondary-active'],
    'hq-down': ['hq-down', 'hq-down', 'hq-down', 'hq-down', 'primary-active', 'secondary-active'],
    // An unknown target does not resume a window that was down: nothing says it came back.
    'hq-down after a failover': ['hq-down', 'hq-down', 'failing-over', 'hq-down', 'primary-active', 'secondary-active'],
    'hq-down after a failback': ['hq-down', 'hq-down', 'hq-down', 'failing-back', 'primary-active', 'secondary-active'],
    'dual-active': ['primary-active', 'secondary-active', 'primary-active', 'secondary-active', 'primary-active', 'secondary-active'],
    'monitor-blind': ['primary-active', 'hq-down', 'primary-active', 'hq-down', 'primary-active', 'secondary-active'],
  };
  const cases = (Object.keys(TABLE) as Source[]).flatMap((from) => INPUTS.map((step, i) => [from, step, TABLE[from][i]!] as const));

  it.each(cases)('%s + %s → %s', (from, step, expected) => {
    expect(nextHq(machineIn(from), input(step), stamp(99), OPTS).state).toBe(expected);
  });

  it('never declares dual-active on a node without a verdict', () => {
    expect(states(['SS', 'US']).at(-1)).toBe('secondary-active');
    expect(states(['SS', 'SU']).at(-1)).toBe('primary-active');
  });
});

describe('the direction of the move', () => {
  it.each<[string, Step[], MoveDirection | null]>([
    ['none while a server is HQ', ['SR'], null],
    ['a failover once the primary stops', ['SR', 'RR'], 'failover'],
    ['a failback once the secondary stops', ['RS', 'RR'], 'failback'],
    ['kept through hq-down when the target dies', ['SR', 'RR', 'RD'], 'failover'],
    ['kept through hq-down when both die', ['RS', 'RR', 'DD'], 'failback'],
    ['kept while blind', ['SR', 'RR', 'blind'], 'failover'],
    ['none after a split brain', ['SS', 'RR'], null],
    ['none when both were down from startup', ['DD', 'RR'], null],
    ['cleared when a server serves again', ['SR', 'RR', 'DS'], null],
  ])('%s', (_name, steps, direction) => {
    expect(directionOf(run(steps).at(-1)!)).toBe(direction);
  });

  it('a machine stored before the direction was kept reads it from its state', () => {
    const stored: HqMachine = { state: 'failing-back', since: stamp(1), window: { kind: 'failback', startedAt: stamp(0) }, incident: null };
    expect(directionOf(stored)).toBe('failback');
    expect(nextHq(stored, input('RD'), stamp(2), OPTS).state).toBe('failing-back');
    expect(nextHq(stored, input('DR'), stamp(2), OPTS).state).toBe('hq-down');
    const blind: HqMachine = { ...stored, state: 'monitor-blind', lastVerdict: 'failing-over' };
    expect(directionOf(blind)).toBe('failover');
  });
});

describe('since', () => {
  it('moves only when the state changes', () => {
    const machines = run(['UU', 'SR', 'SR', 'RR', 'RR', 'DS']);
    expect(machines.map((m) => m.since)).toEqual([stamp(0), stamp(2), stamp(2), stamp(4), stamp(4), stamp(6)]);
  });
});

describe('windows', () => {
  it.each([
    ['failing-over', ['SR', 'RR'], 'failover'],
    ['failing-back', ['RS', 'RR'], 'failback'],
    ['hq-down', ['DD'], 'outage'],
    ['hq-down', ['SR', 'RD'], 'outage'],
  ] as const)('%s opens a %s window', (_state, steps, kind) => {
    expect(run([...steps]).at(-1)!.window?.kind).toBe(kind);
  });

  it('keeps startedAt through a stretch and measures elapsed time from it', () => {
    const machines = run(['SR', 'RR', 'RR', 'DR', 'RR']);
    expect(machines.slice(1).map((m) => m.window?.startedAt)).toEqual([stamp(2), stamp(2), stamp(2), stamp(2)]);
    const view = hqWindowView(machines.at(-1)!, stamp(5), EXPECTED);
    expect(view).toEqual({
      kind: 'failover',
      startedAt: stamp(2),
      elapsedMs: 6000,
      expectedMinMs: EXPECTED.minMs,
      expectedMaxMs: EXPECTED.maxMs,
      overrun: false,
    });
  });

  it('a failover whose target dies is the same window turned outage, and a failover again when it returns', () => {
    const machines = run(['SR', 'RR', 'RD', 'DD', 'DR', 'DS']);
    expect(machines.map((m) => m.state)).toEqual([
      'primary-active',
      'failing-over',
      'hq-down',
      'hq-down',
      'failing-over',
      'secondary-active',
    ]);
    expect(machines.slice(1, 5).map((m) => m.window)).toEqual([
      { kind: 'failover', startedAt: stamp(2) },
      { kind: 'outage', startedAt: stamp(2) },
      { kind: 'outage', startedAt: stamp(2) },
      { kind: 'failover', startedAt: stamp(2) },
    ]);
    expect(machines[5]!.window).toBeNull();
  });

  it.each([
    [19 * 60_000, false],
    [20 * 60_000, false],
    [20 * 60_000 + 1, true],
    [45 * 60_000, true],
  ])('after %d ms a failover window overrun is %s', (elapsedMs, overrun) => {
    const m = run(['SR', 'RR']).at(-1)!;
    const now = new Date(Date.parse(m.window!.startedAt) + elapsedMs).toISOString();
    expect(hqWindowView(m, now, EXPECTED)).toMatchObject({ elapsedMs, overrun });
  });

  it('an outage has no expected length: it never overruns and carries no estimate', () => {
    const m = run(['SR', 'RD']).at(-1)!;
    const now = new Date(Date.parse(m.window!.startedAt) + 45 * 60_000).toISOString();
    const estimate = { basis: 'vendor' as const, lowMs: 1, highMs: 2, medianMs: null, count: 0 };
    expect(hqWindowView(m, now, EXPECTED, estimate)).toMatchObject({ kind: 'outage', overrun: false });
    expect(hqWindowView(m, now, EXPECTED, estimate)).not.toHaveProperty('estimate');
    expect(hqWindowView(run(['SR', 'RR']).at(-1)!, now, EXPECTED, estimate)?.estimate).toEqual(estimate);
  });

  it('closes when a server serves and opens a new window for the next stretch', () => {
    const machines = run(['SR', 'RR', 'RR', 'RS', 'RS', 'RR']);
    expect(machines[3]!.window).toBeNull();
    expect(hqWindowView(machines[3]!, stamp(4), EXPECTED)).toBeNull();
    expect(machines[5]!.window).toEqual({ kind: 'failback', startedAt: stamp(6) });
  });

  it('stays open, and visible, while the monitor is blind or has no verdict, then continues', () => {
    const machines = run(['SR', 'RR', 'blind', 'blind', 'UU', 'RR']);
    for (const m of machines.slice(1)) expect(m.window).toEqual({ kind: 'failover', startedAt: stamp(2) });
    expect(machines.at(-1)!.state).toBe('failing-over');
    expect(hqWindowView(machines[3]!, stamp(4), EXPECTED)?.elapsedMs).toBe(4000);
  });

  it('a stored window takes the kind of the stretch it is in, timed from its start', () => {
    const stored: HqMachine = { state: 'failing-over', since: stamp(1), window: { kind: 'outage', startedAt: stamp(0) }, incident: null };
    expect(nextHq(stored, input('RR'), stamp(2), OPTS).window).toEqual({ kind: 'failover', startedAt: stamp(0) });
  });

  it.each(HQ_STATES.map((state) => [state, WINDOW_KINDS[state] ?? null] as const))('windowKindOf(%s) is %s', (state, kind) => {
    expect(windowKindOf(state)).toBe(kind);
  });
});

describe('the kind a window is recorded with when it closes', () => {
  it.each<[MoveDirection | null, HqState, WindowKind]>([
    ['failover', 'secondary-active', 'failover'],
    ['failover', 'dual-active', 'failover'],
    // The primary came back and the secondary never served: an outage of the primary.
    ['failover', 'primary-active', 'outage'],
    ['failback', 'primary-active', 'failback'],
    ['failback', 'dual-active', 'failback'],
    ['failback', 'secondary-active', 'outage'],
    [null, 'primary-active', 'outage'],
    [null, 'secondary-active', 'outage'],
    [null, 'dual-active', 'outage'],
  ])('a %s window closed by %s is recorded as %s', (direction, closedBy, kind) => {
    expect(closedWindowKind(direction, closedBy)).toBe(kind);
  });
});

describe('incidents', () => {
  it('opens when the state leaves primary-active, with an id from its start', () => {
    const machines = run(['SR', 'SR', 'RR']);
    expect(machines[1]!.incident).toBeNull();
    expect(machines[2]!.incident).toEqual({ id: incidentIdFor(stamp(3)), startedAt: stamp(3), normalRounds: 0 });
  });

  it.each<[HqState, Step[]]>([
    ['secondary-active', ['DS']],
    ['hq-down', ['DD']],
    ['dual-active', ['SS']],
    ['failing-back', ['UU', 'RS', 'RR']],
  ])('opens when %s is the first state reached', (state, steps) => {
    const m = run(steps).at(-1)!;
    expect(m.state).toBe(state);
    expect(m.incident).not.toBeNull();
  });

  it('opens none when only the standby is lost: the primary still serves', () => {
    expect(run(['SR', 'SD', 'SD', 'SR']).every((m) => m.incident === null && m.state === 'primary-active')).toBe(true);
  });

  it.each([1, 2, 3, 5])('closes once primary-active has held for recoverAfter = %d rounds', (recoverAfter) => {
    const steps = ['SR', 'RR', 'RS', 'RR', ...Array<Step>(recoverAfter).fill('SR')];
    const machines = run(steps, { recoverAfter });
    const opened = machines[1]!.incident!;
    for (const m of machines.slice(1, -1)) expect(m.incident?.id).toBe(opened.id);
    expect(machines.at(-2)!.incident?.normalRounds).toBe(recoverAfter - 1);
    expect(machines.at(-1)!.incident).toBeNull();
  });

  it('restarts the count of normal rounds when HQ fails again, in the same incident', () => {
    const machines = run(['SR', 'RR', 'SR', 'RR', 'SR', 'SR'], { recoverAfter: 3 });
    expect(machines.map((m) => m.incident?.normalRounds ?? null)).toEqual([null, 0, 1, 0, 1, 2]);
    expect(new Set(machines.slice(1).map((m) => m.incident!.id)).size).toBe(1);
  });

  it('opens a new incident, with a new id, after the previous one closed', () => {
    const machines = run(['SR', 'RR', 'SR', 'SR', 'RR']);
    expect(machines[3]!.incident).toBeNull();
    expect(machines[4]!.incident!.id).toBe(incidentIdFor(stamp(5)));
    expect(machines[4]!.incident!.id).not.toBe(machines[1]!.incident!.id);
  });

  it('a blind monitor never opens one, whatever it went blind from', () => {
    for (const steps of [
      ['blind', 'blind'],
      ['SR', 'blind', 'blind', 'SR'],
      ['UU', 'blind', 'UU', 'SR'],
    ]) {
      expect(run(steps).every((m) => m.incident === null)).toBe(true);
    }
  });

  it('blindness leaves an open incident exactly as it was', () => {
    const machines = run(['SR', 'RR', 'SR', 'blind', 'blind', 'SR'], { recoverAfter: 3 });
    expect(machines[3]!.incident).toEqual(machines[2]!.incident);
    expect(machines[4]!.incident).toEqual(machines[2]!.incident);
    expect(machines[5]!.incident?.normalRounds).toBe(2);
  });

  it.each([
    ['2026-11-25T16:11:08.123Z', 'inc-20261125T161108123Z'],
    ['2026-11-25T16:11:08Z', 'inc-20261125T161108000Z'],
    ['2026-11-25T17:11:08.123+01:00', 'inc-20261125T161108123Z'],
  ])('incidentIdFor(%s) is %s', (startedAt, id) => {
    expect(incidentIdFor(startedAt)).toBe(id);
  });
});

describe('Call Manager addresses', () => {
  const active: Partial<Record<HqState, string>> = { 'primary-active': '10.1.0.10', 'secondary-active': '10.2.0.10' };
  const target: Partial<Record<HqState, string>> = { 'failing-over': '10.2.0.10', 'failing-back': '10.1.0.10' };
  it.each(HQ_STATES.map((state) => [state, active[state] ?? null, target[state] ?? null] as const))(
    '%s: active %s, after the window %s',
    (state, address, after) => {
      expect(activeAddressOf(state, '10.1.0.10', '10.2.0.10')).toBe(address);
      expect(targetAddressOf(state, '10.1.0.10', '10.2.0.10')).toBe(after);
    },
  );
});

describe('invariants over any sequence of rounds', () => {
  const step = fc.constantFrom(...['blind', ...['S', 'R', 'D', 'U'].flatMap((p) => ['S', 'R', 'D', 'U'].map((s) => p + s))]);
  const sighted = (s: HqState) => s !== 'starting' && s !== 'monitor-blind';

  it('holds the direction, target, window and incident rules', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (steps, recoverAfter) => {
        const machines = run(steps, { recoverAfter });
        let verdict: HqState | undefined;
        let prev = initialHqMachine(stamp(0));
        for (const [i, m] of machines.entries()) {
          const { primary, secondary } = input(steps[i]!);
          if (m.state === 'failing-over') {
            expect(['primary-active', 'failing-over', 'hq-down']).toContain(verdict);
            expect(directionOf(m)).toBe('failover');
            // A failover window only while its target answers (or kept while it has no verdict).
            expect(['reachable', 'unknown']).toContain(secondary);
          }
          if (m.state === 'failing-back') {
            expect(['secondary-active', 'failing-back', 'hq-down']).toContain(verdict);
            expect(directionOf(m)).toBe('failback');
            expect(['reachable', 'unknown']).toContain(primary);
          }
          if (!sighted(m.state)) {
            expect(m.incident).toEqual(prev.incident);
            expect(m.window).toEqual(prev.window);
            expect(directionOf(m)).toBe(directionOf(prev));
          } else {
            expect(m.window !== null).toBe(windowKindOf(m.state) !== null);
            if (m.window) expect(m.window.kind).toBe(windowKindOf(m.state));
            if (m.state !== 'primary-active') expect(m.incident).not.toBeNull();
            verdict = m.state;
          }
          if (prev.window && m.window) expect(m.window.startedAt).toBe(prev.window.startedAt);
          if (m.incident && m.incident !== prev.incident && !prev.incident) {
            expect(m.incident.startedAt).toBe(stamp(i + 1));
            expect(m.incident.id).toBe(incidentIdFor(m.incident.startedAt));
          }
          prev = m;
        }
      }),
      { numRuns: 500 },
    );
  });
});
