import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { activeAddressOf, HQ_STATES, hqWindowView, incidentIdFor, initialHqMachine, nextHq, windowKindOf } from '@hqwatch/shared';
import type { HqInput, HqMachine, HqState, NodeStatus, WindowKind } from '@hqwatch/shared';

const OPTS = { recoverAfter: 2 };
const EXPECTED = { minMs: 5 * 60_000, maxMs: 20 * 60_000 };
const WINDOW_KINDS: Partial<Record<HqState, WindowKind>> = { 'failing-over': 'failover', 'failing-back': 'failback', 'hq-down': 'outage' };
const STATUS: Record<string, NodeStatus> = { S: 'serving', R: 'reachable', D: 'down', U: 'unknown' };

/** Round inputs written compactly: `SD` = primary serving, secondary down; `blind` = witness lost. */
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

/** Inputs that lead from the initial machine to each state. */
const PATHS: Record<HqState, Step[]> = {
  starting: [],
  'primary-active': ['SD'],
  'failing-over': ['SD', 'DD'],
  'secondary-active': ['DS'],
  'failing-back': ['DS', 'DD'],
  'hq-down': ['DD'],
  'dual-active': ['SS'],
  'monitor-blind': ['SD', 'blind'],
};

function machineIn(state: HqState): HqMachine {
  const m = run(PATHS[state]).at(-1) ?? initialHqMachine(stamp(0));
  expect(m.state).toBe(state);
  return m;
}

describe("DESIGN.md's table, row by row", () => {
  it.each<[HqState, string, Step[]]>([
    ['starting', 'no verdict on either node', ['UU']],
    ['primary-active', 'P serving, S down', ['SD']],
    ['primary-active', 'P serving, S only reachable', ['SR']],
    ['failing-over', 'neither serving after primary-active', ['SD', 'DD']],
    ['failing-over', 'neither serving after failing-over', ['SD', 'DR', 'RD']],
    ['secondary-active', 'S serving, P down', ['DS']],
    ['failing-back', 'neither serving after secondary-active', ['DS', 'DD']],
    ['failing-back', 'neither serving after failing-back', ['DS', 'RD', 'DR']],
    ['hq-down', 'neither serving at start', ['DD']],
    ['hq-down', 'neither serving after dual-active', ['SS', 'DD']],
    ['dual-active', 'both serving', ['SS']],
    ['monitor-blind', 'the witness fails', ['SD', 'blind']],
    ['monitor-blind', 'the witness fails before any verdict', ['blind']],
  ])('%s when %s', (expected, _when, steps) => {
    expect(states(steps).at(-1)).toBe(expected);
  });
});

describe('every transition', () => {
  // Columns: P serving only, S serving only, both, neither, witness lost, no verdict on either.
  const INPUTS = ['SD', 'DS', 'SS', 'DD', 'blind', 'UU'] as const;
  const TABLE: Record<HqState, HqState[]> = {
    starting: ['primary-active', 'secondary-active', 'dual-active', 'hq-down', 'monitor-blind', 'starting'],
    'primary-active': ['primary-active', 'secondary-active', 'dual-active', 'failing-over', 'monitor-blind', 'starting'],
    'failing-over': ['primary-active', 'secondary-active', 'dual-active', 'failing-over', 'monitor-blind', 'starting'],
    'secondary-active': ['primary-active', 'secondary-active', 'dual-active', 'failing-back', 'monitor-blind', 'starting'],
    'failing-back': ['primary-active', 'secondary-active', 'dual-active', 'failing-back', 'monitor-blind', 'starting'],
    'hq-down': ['primary-active', 'secondary-active', 'dual-active', 'hq-down', 'monitor-blind', 'starting'],
    'dual-active': ['primary-active', 'secondary-active', 'dual-active', 'hq-down', 'monitor-blind', 'starting'],
    // Blind after primary-active: regaining sight continues from primary-active.
    'monitor-blind': ['primary-active', 'secondary-active', 'dual-active', 'failing-over', 'monitor-blind', 'starting'],
  };
  const cases = HQ_STATES.flatMap((from) => INPUTS.map((step, i) => [from, step, TABLE[from][i]!] as const));

  it.each(cases)('%s + %s → %s', (from, step, expected) => {
    expect(nextHq(machineIn(from), input(step), stamp(99), OPTS).state).toBe(expected);
  });

  it('covers every state as a source and as a target', () => {
    expect(new Set(cases.map(([from]) => from))).toEqual(new Set(HQ_STATES));
    expect(new Set(cases.map(([, , to]) => to))).toEqual(new Set(HQ_STATES));
  });
});

describe('one node with no verdict', () => {
  // Columns: P unknown & S down, P down & S unknown, P serving & S unknown, P unknown & S serving.
  const INPUTS = ['UD', 'DU', 'SU', 'US'] as const;
  const TABLE: Record<HqState, HqState[]> = {
    // Half the evidence decides nothing before a first verdict.
    starting: ['starting', 'starting', 'primary-active', 'secondary-active'],
    // A primary reset by a reload is still taken as serving: no false failover.
    'primary-active': ['primary-active', 'failing-over', 'primary-active', 'secondary-active'],
    'failing-over': ['failing-over', 'failing-over', 'primary-active', 'secondary-active'],
    'secondary-active': ['failing-back', 'secondary-active', 'primary-active', 'secondary-active'],
    'failing-back': ['failing-back', 'failing-back', 'primary-active', 'secondary-active'],
    'hq-down': ['hq-down', 'hq-down', 'primary-active', 'secondary-active'],
    'dual-active': ['primary-active', 'secondary-active', 'primary-active', 'secondary-active'],
    'monitor-blind': ['primary-active', 'failing-over', 'primary-active', 'secondary-active'],
  };
  const cases = HQ_STATES.flatMap((from) => INPUTS.map((step, i) => [from, step, TABLE[from][i]!] as const));

  it.each(cases)('%s + %s → %s', (from, step, expected) => {
    expect(nextHq(machineIn(from), input(step), stamp(99), OPTS).state).toBe(expected);
  });

  it('never declares dual-active on a node without a verdict', () => {
    expect(states(['SS', 'US']).at(-1)).toBe('secondary-active');
    expect(states(['SS', 'SU']).at(-1)).toBe('primary-active');
  });
});

describe('since', () => {
  it('moves only when the state changes', () => {
    const machines = run(['UU', 'SD', 'SD', 'DD', 'DD', 'DS']);
    expect(machines.map((m) => m.since)).toEqual([stamp(0), stamp(2), stamp(2), stamp(4), stamp(4), stamp(6)]);
  });
});

describe('windows', () => {
  it.each([
    ['failing-over', ['SD', 'DD'], 'failover'],
    ['failing-back', ['DS', 'DD'], 'failback'],
    ['hq-down', ['DD'], 'outage'],
  ] as const)('%s opens a %s window', (_state, steps, kind) => {
    expect(run([...steps]).at(-1)!.window?.kind).toBe(kind);
  });

  it('keeps startedAt through a stretch and measures elapsed time from it', () => {
    const machines = run(['SD', 'DD', 'DD', 'DR', 'DD']);
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

  it.each([
    [19 * 60_000, false],
    [20 * 60_000, false],
    [20 * 60_000 + 1, true],
    [45 * 60_000, true],
  ])('after %d ms the window overrun is %s', (elapsedMs, overrun) => {
    const m = run(['SD', 'DD']).at(-1)!;
    const now = new Date(Date.parse(m.window!.startedAt) + elapsedMs).toISOString();
    expect(hqWindowView(m, now, EXPECTED)).toMatchObject({ elapsedMs, overrun });
  });

  it('closes when a server serves and opens a new window for the next stretch', () => {
    const machines = run(['SD', 'DD', 'DD', 'DS', 'DS', 'DD']);
    expect(machines[3]!.window).toBeNull();
    expect(hqWindowView(machines[3]!, stamp(4), EXPECTED)).toBeNull();
    expect(machines[5]!.window).toEqual({ kind: 'failback', startedAt: stamp(6) });
  });

  it('stays open, and visible, while the monitor is blind or has no verdict, then continues', () => {
    const machines = run(['SD', 'DD', 'blind', 'blind', 'UU', 'DD']);
    for (const m of machines.slice(1)) expect(m.window).toEqual({ kind: 'failover', startedAt: stamp(2) });
    expect(machines.at(-1)!.state).toBe('failing-over');
    expect(hqWindowView(machines[3]!, stamp(4), EXPECTED)?.elapsedMs).toBe(4000);
  });

  it('an outage that learns its direction becomes that window, timed from the outage start', () => {
    const stored: HqMachine = { state: 'failing-over', since: stamp(1), window: { kind: 'outage', startedAt: stamp(0) }, incident: null };
    expect(nextHq(stored, input('DD'), stamp(2), OPTS).window).toEqual({ kind: 'failover', startedAt: stamp(0) });
  });

  it('a failover keeps its kind and start within one stretch', () => {
    const stored: HqMachine = { state: 'failing-back', since: stamp(1), window: { kind: 'failover', startedAt: stamp(0) }, incident: null };
    expect(nextHq(stored, input('DD'), stamp(2), OPTS).window).toEqual({ kind: 'failover', startedAt: stamp(0) });
  });

  it.each(HQ_STATES.map((state) => [state, WINDOW_KINDS[state] ?? null] as const))('windowKindOf(%s) is %s', (state, kind) => {
    expect(windowKindOf(state)).toBe(kind);
  });
});

describe('incidents', () => {
  it('opens when the state leaves primary-active, with an id from its start', () => {
    const machines = run(['SD', 'SD', 'DD']);
    expect(machines[1]!.incident).toBeNull();
    expect(machines[2]!.incident).toEqual({ id: incidentIdFor(stamp(3)), startedAt: stamp(3), normalRounds: 0 });
  });

  it.each<[HqState, Step[]]>([
    ['secondary-active', ['DS']],
    ['hq-down', ['DD']],
    ['dual-active', ['SS']],
    ['failing-back', ['UU', 'DS', 'DD']],
  ])('opens when %s is the first state reached', (state, steps) => {
    const m = run(steps).at(-1)!;
    expect(m.state).toBe(state);
    expect(m.incident).not.toBeNull();
  });

  it.each([1, 2, 3, 5])('closes once primary-active has held for recoverAfter = %d rounds', (recoverAfter) => {
    const steps = ['SD', 'DD', 'DS', 'DD', ...Array<Step>(recoverAfter).fill('SD')];
    const machines = run(steps, { recoverAfter });
    const opened = machines[1]!.incident!;
    for (const m of machines.slice(1, -1)) expect(m.incident?.id).toBe(opened.id);
    expect(machines.at(-2)!.incident?.normalRounds).toBe(recoverAfter - 1);
    expect(machines.at(-1)!.incident).toBeNull();
  });

  it('restarts the count of normal rounds when HQ fails again, in the same incident', () => {
    const machines = run(['SD', 'DD', 'SD', 'DD', 'SD', 'SD'], { recoverAfter: 3 });
    expect(machines.map((m) => m.incident?.normalRounds ?? null)).toEqual([null, 0, 1, 0, 1, 2]);
    expect(new Set(machines.slice(1).map((m) => m.incident!.id)).size).toBe(1);
  });

  it('opens a new incident, with a new id, after the previous one closed', () => {
    const machines = run(['SD', 'DD', 'SD', 'SD', 'DD']);
    expect(machines[3]!.incident).toBeNull();
    expect(machines[4]!.incident!.id).toBe(incidentIdFor(stamp(5)));
    expect(machines[4]!.incident!.id).not.toBe(machines[1]!.incident!.id);
  });

  it('a blind monitor never opens one, whatever it went blind from', () => {
    for (const steps of [
      ['blind', 'blind'],
      ['SD', 'blind', 'blind', 'SD'],
      ['UU', 'blind', 'UU', 'SD'],
    ]) {
      expect(run(steps).every((m) => m.incident === null)).toBe(true);
    }
  });

  it('blindness leaves an open incident exactly as it was', () => {
    const machines = run(['SD', 'DD', 'SD', 'blind', 'blind', 'SD'], { recoverAfter: 3 });
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

describe('activeAddressOf', () => {
  const active: Partial<Record<HqState, string>> = { 'primary-active': '10.1.0.10', 'secondary-active': '10.2.0.10' };
  it.each(HQ_STATES.map((state) => [state, active[state] ?? null] as const))('%s → %s', (state, address) => {
    expect(activeAddressOf(state, '10.1.0.10', '10.2.0.10')).toBe(address);
  });
});

describe('invariants over any sequence of rounds', () => {
  const step = fc.constantFrom(...['blind', ...['S', 'R', 'D', 'U'].flatMap((p) => ['S', 'R', 'D', 'U'].map((s) => p + s))]);
  const sighted = (s: HqState) => s !== 'starting' && s !== 'monitor-blind';

  it('holds the direction, window and incident rules', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (steps, recoverAfter) => {
        const machines = run(steps, { recoverAfter });
        let verdict: HqState | undefined;
        let prev = initialHqMachine(stamp(0));
        for (const [i, m] of machines.entries()) {
          if (m.state === 'failing-over') expect(['primary-active', 'failing-over']).toContain(verdict);
          if (m.state === 'failing-back') expect(['secondary-active', 'failing-back']).toContain(verdict);
          if (!sighted(m.state)) {
            expect(m.incident).toEqual(prev.incident);
            expect(m.window).toEqual(prev.window);
          } else {
            expect(m.window !== null).toBe(windowKindOf(m.state) !== null);
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
