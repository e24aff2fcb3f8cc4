import { serviceView } from './status-db.ts';
import type { ServerServiceView } from './status-db-types.ts';
import { serviceStateText } from './switch-codes.ts';
import type { HqState } from './types.ts';

/**
 * A Windows service of a server (from `heapservicestatus`) changed state, as shown on the server's
 * card: `from` null: first read, `to` null: no longer listed. Recorded by the status database poller
 * beside the switch changes, so replay shows the server cards as they were.
 */
export interface ServerServiceEvent {
  type: 'server-service';
  at: string;
  incidentId: string | null;
  /** The node (server card) the service was shown on. */
  nodeId: string;
  /** `ServiceName`. */
  service: string;
  displayName: string;
  /** `CurrentState` (4 = running). */
  from: number | null;
  to: number | null;
  /** The HQ state when the change was read. */
  hqState: HqState;
}

/** Per node id, per service name: the state and name shown. What service history records changes of. */
export type NodeServiceStates = Record<string, Record<string, { displayName: string; state: number }>>;

/** The states of the services shown per node (`servicesByNode`'s answer). */
export function nodeServiceStates(byNode: Readonly<Record<string, readonly ServerServiceView[]>>): NodeServiceStates {
  const out: NodeServiceStates = {};
  for (const [nodeId, services] of Object.entries(byNode)) {
    const states: NodeServiceStates[string] = {};
    for (const s of services) states[s.name] = { displayName: s.displayName, state: s.state };
    out[nodeId] = states;
  }
  return out;
}

/** The server cards' services from recorded states, in the live order (by display name). */
export function servicesFromStates(states: NodeServiceStates): Record<string, ServerServiceView[]> {
  const out: Record<string, ServerServiceView[]> = {};
  for (const [nodeId, services] of Object.entries(states)) {
    const rows = Object.entries(services).map(([name, s]) => serviceView({ name, displayName: s.displayName, state: s.state }));
    if (rows.length) out[nodeId] = rows.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }
  return out;
}

/**
 * The service state changes between two reads, node by node (ids as given) and service by service
 * (names sorted). Pure: the poller records exactly what it returns.
 */
export function deriveServiceEvents(
  prev: NodeServiceStates,
  next: NodeServiceStates,
  at: string,
  ctx: { incidentId: string | null; hqState: HqState },
): ServerServiceEvent[] {
  const events: ServerServiceEvent[] = [];
  for (const nodeId of new Set([...Object.keys(next), ...Object.keys(prev)])) {
    const before = prev[nodeId] ?? {};
    const after = next[nodeId] ?? {};
    for (const service of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const from = before[service]?.state ?? null;
      const to = after[service]?.state ?? null;
      if (from === to) continue;
      const displayName = after[service]?.displayName ?? before[service]?.displayName ?? service;
      events.push({ type: 'server-service', at, incidentId: ctx.incidentId, nodeId, service, displayName, from, to, hqState: ctx.hqState });
    }
  }
  return events;
}

/** One change as a line of an export: "Voice Mail (VMail) on HQ primary: running → stopped (HQ failing-over)". */
export function describeServiceChange(event: ServerServiceEvent, nodeName = event.nodeId): string {
  const word = (state: number | null) => (state === null ? 'not listed' : serviceStateText(state));
  return `${event.displayName} (${event.service}) on ${nodeName}: ${word(event.from)} → ${word(event.to)} (HQ ${event.hqState})`;
}
