import type { HqState, MoveDirection, NodeStatus, WindowKind } from './types.ts';

/** What one round of probes said about a node, before debouncing. */
export type RawNodeState = 'serving' | 'reachable' | 'down';

/** Debounced status of one node, carried from round to round. */
export interface NodeTracker {
  status: NodeStatus;
  /** When `status` last changed (ISO time). */
  since: string;
  flapping: boolean;
  /** Raw states of the last 21 rounds, oldest first (flap detection). */
  history: RawNodeState[];
  /** Consecutive rounds whose raw state disagrees with `status`: the candidate and its count. */
  streak: { status: NodeStatus; count: number } | null;
}

export interface NodeStatusOptions {
  failAfter: number;
  recoverAfter: number;
  flapEnter: number;
  flapLeave: number;
}

/** The HQ state machine's memory. */
export interface HqMachine {
  state: HqState;
  since: string;
  /** The open failover/failback/outage window, if any. */
  window: { kind: WindowKind; startedAt: string } | null;
  /** The open incident, if any; `normalRounds` counts consecutive `primary-active` rounds. */
  incident: { id: string; startedAt: string; normalRounds: number } | null;
  /**
   * The last state decided on a verdict with sight (never `starting` or `monitor-blind`); absent
   * before the first one. It gives the direction to resume after blindness or lost verdicts.
   */
  lastVerdict?: HqState;
  /**
   * The move under way while neither server serves: a failover (to the secondary) after
   * `primary-active`, a failback (to the primary) after `secondary-active`; null when none is
   * known. It outlives `hq-down`, so a failover whose target dies and comes back resumes as a
   * failover. Absent in machines stored before it existed: read it with `directionOf`.
   */
  direction?: MoveDirection | null;
}

/** Inputs of one HQ step: the debounced statuses of the pair and whether the monitor is blind. */
export interface HqInput {
  primary: NodeStatus;
  secondary: NodeStatus;
  blind: boolean;
}

export interface HqOptions {
  recoverAfter: number;
}

/** Everything the live path carries between rounds; stored with each event so replay and restart resume from it. */
export interface EngineCore {
  hq: HqMachine;
  nodes: Record<string, NodeTracker>;
}
