import type { AlertMessage } from '@hqwatch/shared';

/**
 * An alert message of incident `incidentId` as the planner makes them (a failover's trigger,
 * updates and resolve), numbered `seq` within its thread; nothing in it but what the outbox needs.
 */
export function alertMessage(
  incidentId: string,
  seq: number,
  at: string,
  status: AlertMessage['status'] = seq === 1 ? 'trigger' : 'update',
): AlertMessage {
  const dedupKey = `hqwatch-incident-${incidentId}`;
  return {
    id: `${dedupKey}#${seq}`,
    dedupKey,
    seq,
    event: status === 'resolve' ? 'incident.closed' : 'window.opened',
    status,
    severity: 'critical',
    at,
    incidentId,
    hqState: 'failing-over',
    title: `message ${seq}`,
    summary: `message ${seq}`,
    details: [],
    losses: [],
    callManagerAddress: null,
    callManagerAfter: null,
    window: null,
    sites: [],
    servers: [],
    url: null,
    planned: null,
    muted: null,
  };
}
