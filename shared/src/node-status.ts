import type { NodeStatus } from './types.ts';
import type { NodeStatusOptions, NodeTracker, RawNodeState } from './engine-types.ts';

/** Rounds of raw state kept for flap detection, as Nagios does (20 possible changes). */
export const FLAP_HISTORY = 21;

const LOW_WEIGHT = 0.75;
const HIGH_WEIGHT = 1.25;

/** Default Nagios-style thresholds, in percent of weighted state changes. */
export const DEFAULT_FLAP_ENTER = 30;
export const DEFAULT_FLAP_LEAVE = 20;

/** A node nobody has a verdict on yet. */
export function initialNodeTracker(now: string): NodeTracker {
  return { status: 'unknown', since: now, flapping: false, history: [], streak: null };
}

/** One probe's result as far as the node's state is concerned. */
export interface ProbeEvidence {
  ok: boolean;
  role: 'service' | 'host';
  /**
   * The probed host answered even though the probe failed: a refused TCP connection (RST), an ICMP
   * port-unreachable on a SIP probe, any HTTP or SIP response. A time-out, an unreachable host or
   * network, or a DNS failure is no such evidence.
   */
  hostAnswered?: boolean;
}

/**
 * What one round of probes says about a node. Serving means every service probe passed; a node
 * probed only for reachability (host probes) is serving when they all pass. Reachable means its
 * host is up: at least one probe passed, or a failed one was answered by the host (a stopped
 * service on a live machine refuses). Down means nothing answered at all.
 */
export function rawStateOf(probes: readonly ProbeEvidence[]): RawNodeState {
  const services = probes.filter((probe) => probe.role === 'service');
  const judged = services.length > 0 ? services : probes;
  if (judged.length > 0 && judged.every((probe) => probe.ok)) return 'serving';
  return probes.some((probe) => probe.ok || probe.hostAnswered === true) ? 'reachable' : 'down';
}

/**
 * Nagios' weighted state-change percentage over the last {@link FLAP_HISTORY} raw states (oldest
 * first). The change between two consecutive entries weighs 0.75 for the oldest pair rising
 * linearly to 1.25 for the newest; the weights of the 20 possible changes add up to 20, so the
 * result is the weighted change count over 20, in percent.
 *
 * A shorter history is aligned to the newest end: its changes weigh what they will weigh in a full
 * window and the missing older rounds count as unchanged, like Nagios' history filled with one
 * state at start.
 */
export function flapPercent(history: readonly RawNodeState[]): number {
  const recent = history.slice(-FLAP_HISTORY);
  const pairs = FLAP_HISTORY - 1;
  const offset = FLAP_HISTORY - recent.length;
  let weighted = 0;
  let total = 0;
  for (let pair = 0; pair < pairs; pair++) total += changeWeight(pair, pairs);
  for (let i = 1; i < recent.length; i++) {
    if (recent[i] !== recent[i - 1]) weighted += changeWeight(offset + i - 1, pairs);
  }
  return (weighted / total) * 100;
}

/** Weight of the change at `pair` (0 = oldest) among `pairs` possible changes. */
function changeWeight(pair: number, pairs: number): number {
  return LOW_WEIGHT + (pair * (HIGH_WEIGHT - LOW_WEIGHT)) / (pairs - 1);
}

/**
 * How good a status is. `unknown` sits between reachable and serving, so that from `unknown` a
 * serving verdict takes `recoverAfter` rounds and a down or reachable one takes `failAfter`.
 */
const RANK: Record<NodeStatus, number> = { down: 0, reachable: 1, unknown: 1.5, serving: 2 };

/**
 * The debounced status of a node after one more round.
 *
 * `raw === null` is a round that did not run on time (event-loop stall): it is no evidence, so the
 * tracker is returned unchanged. Otherwise the status moves to a worse state after `failAfter`
 * consecutive rounds worse than it, to a better one after `recoverAfter` consecutive rounds better
 * than it. Rounds of a streak need not be identical: the status moves to what every round of the
 * streak supports (the best of a failing streak, the worst of a recovering one), so a node whose
 * services are dead while its host probe flickers still goes down.
 *
 * Flapping (Nagios thresholds on {@link flapPercent}) holds the status where it is: the streak keeps
 * counting, but no change is made until the node stops flapping. `since` moves only with `status`.
 */
export function nextNodeTracker(prev: NodeTracker, raw: RawNodeState | null, now: string, opts: NodeStatusOptions): NodeTracker {
  if (raw === null) return prev;
  const history = [...prev.history, raw].slice(-FLAP_HISTORY);
  const flapping = nextFlapping(prev.flapping, flapPercent(history), opts);
  const streak = nextStreak(prev, raw);
  if (streak === null) return { status: prev.status, since: prev.since, flapping, history, streak: null };
  const needed = RANK[streak.status] < RANK[prev.status] ? opts.failAfter : opts.recoverAfter;
  if (streak.count >= needed && !flapping) return { status: streak.status, since: now, flapping, history, streak: null };
  // Capped so a node held by flapping does not carry an ever-growing counter.
  return { status: prev.status, since: prev.since, flapping, history, streak: { ...streak, count: Math.min(streak.count, needed) } };
}

/** Hysteresis between entering and leaving flapping, as Nagios does. */
function nextFlapping(wasFlapping: boolean, percent: number, opts: NodeStatusOptions): boolean {
  return wasFlapping ? percent >= opts.flapLeave : percent >= opts.flapEnter;
}

/** The streak of rounds disagreeing with the status, or null when this round agrees with it. */
function nextStreak(prev: NodeTracker, raw: RawNodeState): NodeTracker['streak'] {
  if (raw === prev.status) return null;
  const worse = RANK[raw] < RANK[prev.status];
  const current = prev.streak;
  if (current === null || RANK[current.status] < RANK[prev.status] !== worse) return { status: raw, count: 1 };
  const supported = worse
    ? RANK[raw] > RANK[current.status]
      ? raw
      : current.status
    : RANK[raw] < RANK[current.status]
      ? raw
      : current.status;
  return { status: supported, count: current.count + 1 };
}
