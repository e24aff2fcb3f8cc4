/**
 * The worst cases, round by round: the HQ machine, the `hq` view built from it and the history
 * events derived from both, for the debounced statuses of the pair. Each table row is one round.
 */
import { describe, expect, it } from 'vitest';
import {
  buildHqView,
  deriveEvents,
  initialHqMachine,
  isStandbyLost,
  nextHq,
  validateConfig,
  type EngineCore,
  type HistoryEvent,
  type HqDownCause,
  type HqState,
  type HqwatchConfig,
  type NodeStatus,
  type NodeTracker,
  type StandbyStatus,
  type WindowKind,
} from '@hqwatch/shared';

const probes = [{ kind: 'tcp', port: 4308 }];
const result = validateConfig({
  headquarters: {
    primary: { name: 'HQ primary', address: '10.1.0.10', probes },
    secondary: { name: 'HQ secondary', address: '10.2.0.10', probes },
  },
});
if (!result.ok) throw new Error(JSON.stringify(result.errors));
const config: HqwatchConfig = result.config;
const EXPECTED = { minMs: 300_000, maxMs: 1_200_000 };
const STATUS: Record<string, NodeStatus> = { S: 'serving', R: 'reachable', D: 'down', U: 'unknown' };

const stamp = (round: number) => new Date(Date.UTC(2026, 10, 28, 9, 0, 0) + round * 60_000).toISOString();

/** What one round shows: `[state, open window kind, cause, standby, standby id]`. */
type Shown = [HqState, WindowKind | null, HqDownCause | null, StandbyStatus, 'primary' | 'secondary' | null];

interface Round {
  shown: Shown;
  events: HistoryEvent[];
  targetAddress: string | null;
  activeAddress: string | null;
}

function tracker(status: NodeStatus, flapping: boolean, at: string): NodeTracker {
  return { status, since: at, flapping, history: [], streak: null };
}

/** Plays rounds written `PS` (primary, secondary: S/R/D/U), a trailing `~` on either marks it flapping: `SR~`. */
function play(steps: string[]): Round[] {
  let core: EngineCore = { hq: initialHqMachine(stamp(0)), nodes: {} };
  return steps.map((step, i) => {
    const at = stamp(i + 1);
    const [p, s] = [step[0]!, step[1]!];
    const flapping = step.endsWith('~');
    const nodes = { primary: tracker(STATUS[p]!, false, at), secondary: tracker(STATUS[s]!, flapping, at) };
    const hq = nextHq(core.hq, { primary: nodes.primary.status, secondary: nodes.secondary.status, blind: false }, at, { recoverAfter: 2 });
    const next: EngineCore = { hq, nodes };
    const events = deriveEvents({ core, sites: [] }, { core: next, sites: [] }, at, EXPECTED);
    core = next;
    const view = buildHqView({ config, machine: hq, nodes, now: at });
    return {
      shown: [view.state, view.window?.kind ?? null, view.cause, view.standby, view.standbyId],
      events,
      targetAddress: view.targetAddress,
      activeAddress: view.activeAddress,
    };
  });
}

const closedKinds = (rounds: Round[]) => rounds.flatMap((r) => r.events.flatMap((e) => (e.type === 'window-closed' ? [e.kind] : [])));
const openedKinds = (rounds: Round[]) => rounds.flatMap((r) => r.events.flatMap((e) => (e.type === 'window-opened' ? [e.kind] : [])));

describe('the worst cases, round by round', () => {
  it.each<[string, string[], Shown[]]>([
    [
      'standby lost: the secondary dies during normal operation, then comes back',
      ['SR', 'SD', 'SD', 'SR'],
      [
        ['primary-active', null, null, 'ready', 'secondary'],
        ['primary-active', null, null, 'not-ready', 'secondary'],
        ['primary-active', null, null, 'not-ready', 'secondary'],
        ['primary-active', null, null, 'ready', 'secondary'],
      ],
    ],
    [
      'a flapping standby is not ready',
      ['SR', 'SR~', 'SR'],
      [
        ['primary-active', null, null, 'ready', 'secondary'],
        ['primary-active', null, null, 'not-ready', 'secondary'],
        ['primary-active', null, null, 'ready', 'secondary'],
      ],
    ],
    [
      'target down at window start: the primary stops while the secondary is dead',
      ['SR', 'SD', 'RD'],
      [
        ['primary-active', null, null, 'ready', 'secondary'],
        ['primary-active', null, null, 'not-ready', 'secondary'],
        ['hq-down', 'outage', 'target-down', 'not-ready', 'secondary'],
      ],
    ],
    [
      'target dying during a window, then returning: the failover resumes and completes',
      ['SR', 'RR', 'RD', 'RR', 'RS'],
      [
        ['primary-active', null, null, 'ready', 'secondary'],
        ['failing-over', 'failover', null, 'ready', 'secondary'],
        ['hq-down', 'outage', 'target-down', 'not-ready', 'secondary'],
        ['failing-over', 'failover', null, 'ready', 'secondary'],
        ['secondary-active', null, null, 'ready', 'primary'],
      ],
    ],
    [
      'both down during a failover, then the secondary back',
      ['SR', 'RR', 'DD', 'DR', 'DS'],
      [
        ['primary-active', null, null, 'ready', 'secondary'],
        ['failing-over', 'failover', null, 'ready', 'secondary'],
        ['hq-down', 'outage', 'both-down', 'not-ready', 'secondary'],
        ['failing-over', 'failover', null, 'ready', 'secondary'],
        ['secondary-active', null, null, 'not-ready', 'primary'],
      ],
    ],
    [
      'both down from startup: no move known, whatever comes back first',
      ['DD', 'DD', 'RD', 'RS'],
      [
        ['hq-down', 'outage', 'both-down', 'unknown', null],
        ['hq-down', 'outage', 'both-down', 'unknown', null],
        ['hq-down', 'outage', 'direction-unknown', 'unknown', null],
        ['secondary-active', null, null, 'ready', 'primary'],
      ],
    ],
    [
      'recovery onto the primary without the secondary',
      ['SR', 'RR', 'DR', 'SR'],
      [
        ['primary-active', null, null, 'ready', 'secondary'],
        ['failing-over', 'failover', null, 'ready', 'secondary'],
        ['failing-over', 'failover', null, 'ready', 'secondary'],
        ['primary-active', null, null, 'ready', 'secondary'],
      ],
    ],
    [
      'a failback whose primary is dead',
      ['RS', 'DR', 'RR'],
      [
        ['secondary-active', null, null, 'ready', 'primary'],
        ['hq-down', 'outage', 'target-down', 'not-ready', 'primary'],
        ['failing-back', 'failback', null, 'ready', 'primary'],
      ],
    ],
    [
      'a failover starting while the secondary has no verdict',
      ['SR', 'RU', 'RR'],
      [
        ['primary-active', null, null, 'ready', 'secondary'],
        ['hq-down', 'outage', 'target-unknown', 'unknown', 'secondary'],
        ['failing-over', 'failover', null, 'ready', 'secondary'],
      ],
    ],
    [
      'split brain, then neither: no direction, no standby',
      ['SR', 'SS', 'RR'],
      [
        ['primary-active', null, null, 'ready', 'secondary'],
        ['dual-active', null, null, 'unknown', null],
        ['hq-down', 'outage', 'direction-unknown', 'unknown', null],
      ],
    ],
  ])('%s', (_name, steps, shown) => {
    expect(play(steps).map((r) => r.shown)).toEqual(shown);
  });
});

describe('what each case records', () => {
  it('standby lost: a warning of its own, no incident, no window', () => {
    const rounds = play(['SR', 'SD', 'SR']);
    const events = rounds.flatMap((r) => r.events);
    expect(events.filter((e) => e.type === 'incident-opened' || e.type === 'window-opened')).toEqual([]);
    const standby = events.filter((e) => e.type === 'standby-changed');
    expect(standby).toMatchObject([
      { standbyId: 'secondary', from: 'unknown', to: 'ready', hqState: 'primary-active', incidentId: null },
      { standbyId: 'secondary', from: 'ready', to: 'not-ready', hqState: 'primary-active', incidentId: null },
      { standbyId: 'secondary', from: 'not-ready', to: 'ready', hqState: 'primary-active', incidentId: null },
    ]);
    expect(standby.map(isStandbyLost)).toEqual([false, true, false]);
  });

  it('the target dying re-announces the same window as an outage, then as a failover again; it closes as a failover', () => {
    const rounds = play(['SR', 'RR', 'RD', 'RR', 'RS']);
    expect(openedKinds(rounds)).toEqual(['failover', 'outage', 'failover']);
    const starts = new Set(rounds.flatMap((r) => r.events.flatMap((e) => (e.type === 'window-opened' ? [e.startedAt] : []))));
    expect(starts.size).toBe(1);
    expect(closedKinds(rounds)).toEqual(['failover']);
    expect(rounds[2]!.events.find((e) => e.type === 'hq-transition')).toMatchObject({
      from: 'failing-over',
      to: 'hq-down',
      cause: 'target-down',
    });
  });

  it('recovery onto the primary without the secondary closes the window as an outage, never overrun', () => {
    const rounds = play(['SR', 'RR', ...Array<string>(30).fill('DR'), 'SR']);
    const closed = rounds.flatMap((r) => r.events).find((e) => e.type === 'window-closed');
    expect(closed).toMatchObject({ kind: 'outage', durationMs: 31 * 60_000, overrun: false });
  });

  it('a failover that completes past the maximum is a failover overrun', () => {
    const rounds = play(['SR', 'RR', ...Array<string>(30).fill('DR'), 'DS']);
    expect(rounds.flatMap((r) => r.events).find((e) => e.type === 'window-closed')).toMatchObject({ kind: 'failover', overrun: true });
  });

  it('both down from startup records an outage that stays one', () => {
    const rounds = play(['DD', 'RD', 'RS']);
    expect(openedKinds(rounds)).toEqual(['outage']);
    expect(closedKinds(rounds)).toEqual(['outage']);
    expect(rounds[0]!.events.find((e) => e.type === 'hq-transition')).toMatchObject({ to: 'hq-down', cause: 'both-down' });
  });
});

describe('one Call Manager address rule', () => {
  it.each<[string, string[], (string | null)[], (string | null)[]]>([
    ['failover', ['SR', 'RR', 'RS'], ['10.1.0.10', null, '10.2.0.10'], [null, '10.2.0.10', null]],
    ['failback', ['RS', 'RR', 'SR'], ['10.2.0.10', null, '10.1.0.10'], [null, '10.1.0.10', null]],
    ['a failover that cannot complete', ['SR', 'RD'], ['10.1.0.10', null], [null, null]],
  ])('%s: no address while the window is open, the target marked apart', (_name, steps, active, target) => {
    const rounds = play(steps);
    expect(rounds.map((r) => r.activeAddress)).toEqual(active);
    expect(rounds.map((r) => r.targetAddress)).toEqual(target);
  });
});

describe('the estimate of an open window', () => {
  const machine = nextHq(
    nextHq(initialHqMachine(stamp(0)), { primary: 'serving', secondary: 'reachable', blind: false }, stamp(1), { recoverAfter: 2 }),
    { primary: 'reachable', secondary: 'reachable', blind: false },
    stamp(2),
    { recoverAfter: 2 },
  );
  const nodes = { primary: tracker('reachable', false, stamp(2)), secondary: tracker('reachable', false, stamp(2)) };

  it('comes from past windows of the same kind, in the hq view', () => {
    const windowHistory = { failover: [6, 7, 8, 9].map((m) => m * 60_000), failback: [] };
    const view = buildHqView({ config, machine, nodes, now: stamp(3), windowHistory });
    expect(view.window).toMatchObject({ kind: 'failover', estimate: { basis: 'history', count: 4 } });
  });

  it("is the vendor's range without history", () => {
    expect(buildHqView({ config, machine, nodes, now: stamp(3) }).window?.estimate).toEqual({
      basis: 'vendor',
      lowMs: 300_000,
      highMs: 1_200_000,
      medianMs: null,
      count: 0,
    });
  });
});
