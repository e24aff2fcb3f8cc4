import type { HqState, HqWindow, WindowKind } from './types.ts';
import type { HqInput, HqMachine, HqOptions } from './engine-types.ts';

type OpenWindow = NonNullable<HqMachine['window']>;
type OpenIncident = NonNullable<HqMachine['incident']>;

const WINDOW_KINDS: Partial<Record<HqState, WindowKind>> = {
  'failing-over': 'failover',
  'failing-back': 'failback',
  'hq-down': 'outage',
};

/** A machine that has no verdict yet. */
export function initialHqMachine(now: string): HqMachine {
  return { state: 'starting', since: now, window: null, incident: null };
}

/** The kind of window a state belongs to, or null for a state outside any window. */
export function windowKindOf(state: HqState): WindowKind | null {
  return WINDOW_KINDS[state] ?? null;
}

/**
 * The HQ machine after one round, per DESIGN.md's table.
 *
 * `monitor-blind` (witness failing) and `starting` (no verdict on either node) are states without
 * sight: they declare nothing, leave the open window and incident exactly as they were, and keep
 * the last verdict so that on regaining sight a failover in progress continues as a failover.
 *
 * With sight, the window is each continuous stretch of `failing-over`, `failing-back` or `hq-down`
 * (blind rounds inside do not break it). The incident opens on the first state that is neither
 * normal nor without sight, and closes once `primary-active` has held for `opts.recoverAfter`
 * rounds.
 */
export function nextHq(prev: HqMachine, input: HqInput, now: string, opts: HqOptions): HqMachine {
  const state = hqStateFor(prev, input);
  const since = state === prev.state ? prev.since : now;
  if (!isSighted(state)) return { ...prev, state, since };
  return {
    state,
    since,
    window: nextWindow(prev.window, state, now),
    incident: nextIncident(prev.incident, state, now, opts),
    lastVerdict: state,
  };
}

/**
 * The state the inputs call for, given the machine's memory.
 *
 * A node with no verdict (`unknown`: its tracker was reset by a config reload, or it has flapped
 * since start) is never taken as serving beside one that is known to serve, so no split brain is
 * declared on a guess. Beside a node known not to serve, it is taken to still do what the last
 * verdict said it did: reloading the primary's probes during normal operation raises no false
 * failover, while a primary known to be down beside a secondary with no verdict opens the failover
 * window, since HQ services are not known to be anywhere. Before any verdict, one unknown node
 * beside one not serving stays `starting`: the unknown node decides between `hq-down` and an
 * active state, so nothing is declared on half the evidence.
 */
function hqStateFor(prev: HqMachine, input: HqInput): HqState {
  if (input.blind) return 'monitor-blind';
  const { primary, secondary } = input;
  if (primary === 'unknown' && secondary === 'unknown') return 'starting';
  if (primary === 'serving' && secondary === 'serving') return 'dual-active';
  if (primary === 'serving') return 'primary-active';
  if (secondary === 'serving') return 'secondary-active';
  // A machine stored without `lastVerdict` still says where it stood through its state.
  const last = prev.lastVerdict ?? (isSighted(prev.state) ? prev.state : undefined);
  if (primary === 'unknown' && (last === 'primary-active' || last === 'dual-active')) return 'primary-active';
  if (secondary === 'unknown' && (last === 'secondary-active' || last === 'dual-active')) return 'secondary-active';
  if (last === undefined) return primary === 'unknown' || secondary === 'unknown' ? 'starting' : 'hq-down';
  if (last === 'primary-active' || last === 'failing-over') return 'failing-over';
  if (last === 'secondary-active' || last === 'failing-back') return 'failing-back';
  // After `dual-active` or `hq-down` nobody can say which way HQ is moving.
  return 'hq-down';
}

function isSighted(state: HqState): boolean {
  return state !== 'starting' && state !== 'monitor-blind';
}

function nextWindow(open: OpenWindow | null, state: HqState, now: string): OpenWindow | null {
  const kind = windowKindOf(state);
  if (kind === null) return null;
  if (open === null) return { kind, startedAt: now };
  // One stretch is one window, timed from its start. An outage that learns its direction is that
  // failover or failback; a failover or failback keeps the kind it was announced with.
  return { kind: open.kind === 'outage' ? kind : open.kind, startedAt: open.startedAt };
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

/**
 * The open window as the contract shows it at `now`, or null when none is open. The window stays
 * visible while the monitor is blind: it was open when sight was lost and nothing says it closed.
 */
export function hqWindowView(m: HqMachine, now: string, expected: { minMs: number; maxMs: number }): HqWindow | null {
  if (m.window === null) return null;
  const elapsed = Date.parse(now) - Date.parse(m.window.startedAt);
  const elapsedMs = Number.isFinite(elapsed) ? Math.max(0, elapsed) : 0;
  return {
    kind: m.window.kind,
    startedAt: m.window.startedAt,
    elapsedMs,
    expectedMinMs: expected.minMs,
    expectedMaxMs: expected.maxMs,
    overrun: elapsedMs > expected.maxMs,
  };
}

/**
 * The address Call Manager users must type: the primary's while `primary-active`, the secondary's
 * while `secondary-active`. `dual-active` gives null like every other state: both servers claim
 * HQ, and sending users to either would take a side in the split brain the alarm is about.
 */
export function activeAddressOf(state: HqState, primaryAddress: string, secondaryAddress: string): string | null {
  if (state === 'primary-active') return primaryAddress;
  if (state === 'secondary-active') return secondaryAddress;
  return null;
}
