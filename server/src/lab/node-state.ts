/** What a simulated server can be told to do. */
export const NODE_STATES = ['serving', 'stopped', 'hung', 'down', 'slow', 'sip-503', 'flapping'] as const;
export type NodeState = (typeof NODE_STATES)[number];

/** Tuning of the states that take one: added latency for `slow`, phase length for `flapping`. */
export interface StateOptions {
  latencyMs?: number;
  periodMs?: number;
}

/** Slow enough to miss a typical 1 s probe timeout. */
export const DEFAULT_LATENCY_MS = 1_500;
/** How long each phase of `flapping` lasts: a few monitor rounds at the demo's cadence. */
export const DEFAULT_FLAP_PERIOD_MS = 2_000;

/** How a listener answers once it has accepted a connection or datagram. */
export type AnswerMode = 'answer' | 'hang' | 'slow' | 'sip-503';

/** Which listeners are open and how they answer, for one state (and one flapping phase). */
export interface Behaviour {
  /** The host port: the machine is up even if its services are not. */
  hostOpen: boolean;
  servicesOpen: boolean;
  mode: AnswerMode;
  /**
   * The machine is off: every port it had is held silent (see black-hole.ts), so probes time out
   * as they would against a dead host, instead of being refused as a closed port on a live one is.
   */
  silent?: boolean;
}

/**
 * The behaviour of a state. `flapping` alternates between the `serving` and `stopped` behaviours;
 * `phase` says which one is current.
 */
export function behaviourOf(state: NodeState, phase: 'serving' | 'stopped' = 'serving'): Behaviour {
  switch (state) {
    case 'serving':
      return { hostOpen: true, servicesOpen: true, mode: 'answer' };
    case 'stopped':
      return { hostOpen: true, servicesOpen: false, mode: 'answer' };
    case 'hung':
      return { hostOpen: true, servicesOpen: true, mode: 'hang' };
    case 'down':
      return { hostOpen: false, servicesOpen: false, mode: 'answer', silent: true };
    case 'slow':
      return { hostOpen: true, servicesOpen: true, mode: 'slow' };
    case 'sip-503':
      return { hostOpen: true, servicesOpen: true, mode: 'sip-503' };
    case 'flapping':
      return behaviourOf(phase);
  }
}
