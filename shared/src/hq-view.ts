import type { HqwatchConfig } from './config.ts';
import type { HqMachine } from './engine-types.ts';
import { activeAddressOf, directionOf, hqWindowView, targetAddressOf, targetOf } from './hq-machine.ts';
import type { NodeHealth } from './impact-rules.ts';
import type { HqDownCause, HqNodeId, HqView, NodeStatus, StandbyStatus } from './types.ts';
import { PRIMARY_ID, SECONDARY_ID } from './types.ts';
import { estimateFor, NO_WINDOW_HISTORY, type WindowHistory } from './window-estimate.ts';

type Nodes = Readonly<Record<string, NodeHealth | undefined>>;

const statusOf = (nodes: Nodes, id: HqNodeId): NodeStatus => nodes[id]?.status ?? 'unknown';

/**
 * Why HQ is down, from the machine and the debounced statuses of the pair; null outside `hq-down`.
 * Neither server answering at all (`both-down`) says more than any move, so it comes first.
 */
export function hqDownCause(m: HqMachine, nodes: Nodes): HqDownCause | null {
  if (m.state !== 'hq-down') return null;
  if (statusOf(nodes, PRIMARY_ID) === 'down' && statusOf(nodes, SECONDARY_ID) === 'down') return 'both-down';
  const direction = directionOf(m);
  if (direction === null) return 'direction-unknown';
  return statusOf(nodes, targetOf(direction)) === 'unknown' ? 'target-unknown' : 'target-down';
}

/**
 * The HQ server that would take over: the secondary while the primary is HQ, the primary while the
 * secondary is, and the target of the move under way during a window or a directed `hq-down`.
 * None while both claim HQ, before a verdict, while blind, or when no move is known.
 */
export function standbyIdOf(m: HqMachine): HqNodeId | null {
  switch (m.state) {
    case 'primary-active':
      return SECONDARY_ID;
    case 'secondary-active':
      return PRIMARY_ID;
    case 'failing-over':
    case 'failing-back':
    case 'hq-down': {
      const direction = directionOf(m);
      return direction === null ? null : targetOf(direction);
    }
    default:
      return null;
  }
}

/**
 * Whether that server is ready to take over: its host answers (reachable or serving) and it is not
 * flapping. A server that comes and goes every few rounds cannot be counted on to finish a move.
 */
export function standbyStatusOf(id: HqNodeId | null, nodes: Nodes): StandbyStatus {
  if (id === null) return 'unknown';
  const node = nodes[id];
  if (!node || node.status === 'unknown') return 'unknown';
  if (node.flapping || node.status === 'down') return 'not-ready';
  return 'ready';
}

export interface HqViewArgs {
  config: HqwatchConfig;
  machine: HqMachine;
  /** Debounced health of the pair (and any other node), keyed by node id. */
  nodes: Nodes;
  now: string;
  /** Past closed windows, for the estimate of an open failover or failback. */
  windowHistory?: WindowHistory;
}

/** The `hq` block of the LiveState: state, addresses, the open window with its estimate, cause and standby. */
export function buildHqView({ config, machine, nodes, now, windowHistory = NO_WINDOW_HISTORY }: HqViewArgs): HqView {
  const { min, max } = config.monitor.expectedWindow;
  const expected = { minMs: min, maxMs: max };
  const { primary, secondary } = config.headquarters;
  const standbyId = standbyIdOf(machine);
  const estimate = machine.window ? estimateFor(machine.window.kind, windowHistory, expected) : undefined;
  return {
    state: machine.state,
    since: machine.since,
    activeAddress: activeAddressOf(machine.state, primary.address, secondary.address),
    window: hqWindowView(machine, now, expected, estimate),
    targetAddress: targetAddressOf(machine.state, primary.address, secondary.address),
    cause: hqDownCause(machine, nodes),
    standby: standbyStatusOf(standbyId, nodes),
    standbyId,
  };
}
