import type { HqState, HqWindow, MoveDirection, NodeStatus, WindowEstimate, WindowKind } from './types.ts';
import type { HqInput, HqMachine, HqOptions } from './engine-types.ts';

type OpenWindow = NonNullable<HqMachine['window']>;
type OpenIncident = NonNullable<HqMachine['incident']>;

const WINDOW_KINDS: Partial<Record<HqState, WindowKind>> = {
  'failing-over': 'failover',
  'failing-back': 'failback',
  'hq-down': 'outage',
};

const WINDOW_STATE: Record<MoveDirection, HqState> = { failover: 'failing-over', failback: 'failing-back' };

/** A machine that has no verdict yet. */
export function initialHqMachine(now: string): HqMachine {
  return { state: 'starting', since: now, window: null, incident: null, direction: null };
}

/** The kind of window a state belongs to, or null for a state outside any window. */
export function windowKindOf(state: HqState): WindowKind | null {
  return WINDOW_KINDS[state] ?? null;
}

/** The HQ server a move heads to: the secondary for a failover, the primary for a failback. */
export function targetOf(direction: MoveDirection): 'primary' | 'secondary' {
  return direction === 'failover' ? 'secondary' : 'primary';
}

/**
 * The move under way in a machine: its `direction`, or for a machine stored before the direction
 * was kept, what its state (or, while it cannot see, its last verdict) says.
 */
export function directionOf(m: HqMachine): MoveDirection | null {
  if (m.direction !== undefined) return m.direction;
  const state = isSighted(m.state) ? m.state : m.lastVerdict;
  if (state === 'failing-over') return 'failover';
  if (state === 'failing-back') return 'failback';
  return null;
}

/**
 * The HQ machine after one round.
 *
 * States follow DESIGN.md's table, with the move remembered: leaving `primary-active` with neither
 * server serving starts a failover (its target is the secondary), leaving `secondary-active` a
 * failback (target: the primary). While neither serves, the window state (`failing-over`,
 * `failing-back`) holds only while the target is at least reachable, its host answering; with the
 * target down it is `hq-down`, and the move is kept, so the target coming back resumes the window.
 * After `dual-active`, or when hqwatch never saw which server was HQ, no move is known: `hq-down`.
 *
 * `monitor-blind` (witness failing) and `starting` (no verdict on either node) are states without
 * sight: they declare nothing, leave the open window, incident and move exactly as they were, and
 * keep the last verdict so that on regaining sight a failover in progress continues as a failover.
 *
 * The window is each continuous stretch of `failing-over`, `failing-back` or `hq-down` (blind
 * rounds inside do not break it); its kind follows the state, so a failover whose target dies is
 * the same window turned `outage`, and turns `failover` again when the target returns. The
 * incident opens on the first state that is neither normal nor without sight, and closes once
 * `primary-active` has held for `opts.recoverAfter` rounds.
 */
export function nextHq(prev: HqMachine, input: HqInput, now: string, opts: HqOptions): HqMachine {
  const { state, direction } = decide(prev, input);
  const since = state === prev.state ? prev.since : now;
  if (!isSighted(state)) return { ...prev, state, since };
  return {
    state,
    since,
    window: nextWindow(prev.window, state, now),
    incident: nextIncident(prev.incident, state, now, opts),
    lastVerdict: state,
    direction,
  };
}

/**
 * The state the inputs call for, and the move under way, given the machine's memory.
 *
 * A node with no verdict (`unknown`: before its first verdict, after its tracker was reset, or
 * while it has flapped since start) is never taken as serving beside one that is known to serve, so
 * no split brain is declared on a guess. Beside a node known not to serve, an unknown *active*
 * server is taken to still do what the last verdict said it did, so resetting the primary's tracker
 * during normal operation raises no false failover.
 *
 * An unknown *target* declares nothing either way: a window already open stays open (nothing says
 * the target died), and a move that starts while the target has no verdict is `hq-down` (cause
 * `target-unknown`): HQ services are gone, and whether a failover can complete is not known yet.
 * Before any verdict, one unknown node beside one not serving stays `starting`.
 */
function decide(prev: HqMachine, input: HqInput): { state: HqState; direction: MoveDirection | null } {
  const kept = directionOf(prev);
  if (input.blind) return { state: 'monitor-blind', direction: kept };
  const { primary, secondary } = input;
  if (primary === 'unknown' && secondary === 'unknown') return { state: 'starting', direction: kept };
  if (primary === 'serving' && secondary === 'serving') return { state: 'dual-active', direction: null };
  if (primary === 'serving') return { state: 'primary-active', direction: null };
  if (secondary === 'serving') return { state: 'secondary-active', direction: null };
  // A machine stored without `lastVerdict` still says where it stood through its state.
  const last = prev.lastVerdict ?? (isSighted(prev.state) ? prev.state : undefined);
  if (primary === 'unknown' && (last === 'primary-active' || last === 'dual-active')) return { state: 'primary-active', direction: null };
  if (secondary === 'unknown' && (last === 'secondary-active' || last === 'dual-active'))
    return { state: 'secondary-active', direction: null };
  if (last === undefined) return { state: primary === 'unknown' || secondary === 'unknown' ? 'starting' : 'hq-down', direction: null };
  const direction = last === 'primary-active' ? 'failover' : last === 'secondary-active' ? 'failback' : kept;
  // After `dual-active`, or an outage whose direction was never known, nobody can say which way HQ moves.
  if (direction === null) return { state: 'hq-down', direction: null };
  const target = direction === 'failover' ? secondary : primary;
  return { state: stateForTarget(direction, target, last), direction };
}

/** Neither server serves during a move: the window while its target answers, `hq-down` while it does not. */
function stateForTarget(direction: MoveDirection, target: NodeStatus, last: HqState): HqState {
  const window = WINDOW_STATE[direction];
  if (target === 'reachable') return window;
  if (target === 'unknown' && last === window) return window;
  return 'hq-down';
}

function isSighted(state: HqState): boolean {
  return state !== 'starting' && state !== 'monitor-blind';
}

function nextWindow(open: OpenWindow | null, state: HqState, now: string): OpenWindow | null {
  const kind = windowKindOf(state);
  if (kind === null) return null;
  // One stretch is one window, timed from its start; its kind is what the stretch is now.
  return { kind, startedAt: open?.startedAt ?? now };
}

/**
 * The kind a closing window is recorded with, decided by how it ended: a failover that ends with
 * the secondary serving (as HQ, or beside the primary in a split brain) is a `failover`; one that
 * ends back on the primary, the secondary never having served, was an `outage` of the primary.
 * Likewise for a failback; a window with no known move is an `outage` whatever ends it.
 */
export function closedWindowKind(direction: MoveDirection | null, closedBy: HqState): WindowKind {
  if (direction === 'failover' && (closedBy === 'secondary-active' || closedBy === 'dual-active')) return 'failover';
  if (direction === 'failback' && (closedBy === 'primary-active' || closedBy === 'dual-active')) return 'failback';
  return 'outage';
}

function nextIncident(open: OpenIncident | null, state: HqState, now: string, opts: HqOptions): OpenIncident | null {
  if (state !== 'primary-active') {
    return open === null ? { id: incidentIdFor(now), startedAt: now, normalRounds: 0 } : { ...open, normalRounds: 0 };
  }
  if (open === null) return null;
  const normalRounds = open.normalRounds + 1;
  return normalRounds >= opts.recoverAfter ? null : { ...open, normalRounds };
}

/** The incident id for an incident that started at `startedAt`: `inc-20261125T161108123Z`. */
export function incidentIdFor(startedAt: string): string {
  const ms = Date.parse(startedAt);
  const iso = Number.isNaN(ms) ? startedAt : new Date(ms).toISOString();
  return `inc-${iso.replace(/[^0-9A-Za-z]/g, '')}`;
}

/** Whether a window of this kind has an expected length: failovers and failbacks do, outages do not. */
export function hasExpectedLength(kind: WindowKind): boolean {
  return kind !== 'outage';
}

/**
 * The open window as the contract shows it at `now`, or null when none is open. The window stays
 * visible while the monitor is blind: it was open when sight was lost and nothing says it closed.
 * An outage never overruns (it has no expected length) and carries no estimate.
 */
export function hqWindowView(
  m: HqMachine,
  now: string,
  expected: { minMs: number; maxMs: number },
  estimate?: WindowEstimate,
): HqWindow | null {
  if (m.window === null) return null;
  const elapsed = Date.parse(now) - Date.parse(m.window.startedAt);
  const elapsedMs = Number.isFinite(elapsed) ? Math.max(0, elapsed) : 0;
  const bounded = hasExpectedLength(m.window.kind);
  const view: HqWindow = {
    kind: m.window.kind,
    startedAt: m.window.startedAt,
    elapsedMs,
    expectedMinMs: expected.minMs,
    expectedMaxMs: expected.maxMs,
    overrun: bounded && elapsedMs > expected.maxMs,
  };
  if (bounded && estimate) view.estimate = estimate;
  return view;
}

/**
 * The address Call Manager users must type: the primary's while `primary-active`, the secondary's
 * while `secondary-active`. Every other state gives null: during a window no server controls the
 * system yet, and in `dual-active` both claim HQ, so sending users to either would take a side in
 * the split brain the alarm is about.
 */
export function activeAddressOf(state: HqState, primaryAddress: string, secondaryAddress: string): string | null {
  if (state === 'primary-active') return primaryAddress;
  if (state === 'secondary-active') return secondaryAddress;
  return null;
}

/**
 * The address Call Manager users will need once the open failover (failback) completes: the
 * secondary's (primary's). Null in every other state, `hq-down` included: no move can complete then.
 */
export function targetAddressOf(state: HqState, primaryAddress: string, secondaryAddress: string): string | null {
  if (state === 'failing-over') return secondaryAddress;
  if (state === 'failing-back') return primaryAddress;
  return null;
}
