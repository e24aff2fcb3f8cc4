import type { AlertEvent, AlertStatus } from './alert-events.ts';
import type { Draft } from './alert-conditions.ts';
import type { AlertThread } from './alert-threads.ts';
import { closedTitle, hqDetails, hqSeverity, hqTitle, impactedSites, openingEvent } from './alert-words.ts';
import type { HistoryEvent, WindowClosedEvent } from './history.ts';
import { clockText } from './hq-words.ts';
import type { HqState, LiveState } from './types.ts';

/**
 * The HQ incident's thread: what its trigger, updates, reminders and resolve say in a round. The
 * other threads' words are in `alert-conditions.ts`; which message goes out when is the planner's.
 */

/** The two HQ servers, named by every incident message. */
export const HQ_SERVERS: readonly string[] = ['primary', 'secondary'];

/** Whether the monitor sees the pair (it is neither blind nor still starting). */
export const SIGHTED = (state: HqState) => state !== 'monitor-blind' && state !== 'starting';

/** The open window as a thread remembers it, `kind@startedAt`. */
export function windowKey(state: LiveState): string | null {
  return state.hq.window ? `${state.hq.window.kind}@${state.hq.window.startedAt}` : null;
}

/** A folded thread (a server or the standby lost during an HQ window) that changed this round. */
export interface FoldedNews {
  event: AlertEvent;
  title: string;
  details: string[];
  servers: string[];
  sites: string[];
}

/** What the incident's messages of a round are read from. */
export interface IncidentRound {
  state: LiveState;
  events: readonly HistoryEvent[];
  /** Said in the incident's next message. */
  foldedNews: readonly FoldedNews[];
}

/** The incident's trigger or update this round, or null when nothing new is to be said. */
export function incidentDraft(thread: AlertThread, status: AlertStatus, { state, events, foldedNews }: IncidentRound): Draft | null {
  const closed = events.find((e): e is WindowClosedEvent => e.type === 'window-closed');
  const nowWindow = windowKey(state);
  const lines: string[] = [];
  let event: AlertEvent | null = null;
  let title = hqTitle(state);
  if (status === 'trigger') event = openingEvent(state);
  else {
    const previousKind = thread.window?.split('@')[0] ?? null;
    if (closed) {
      const direction = previousKind === 'failover' || previousKind === 'failback' ? previousKind : null;
      event = 'window.closed';
      title = closedTitle(closed, direction);
      if (state.hq.window) lines.push(hqTitle(state));
    }
    if (nowWindow !== null && nowWindow !== thread.window) {
      const sameWindow = thread.window?.split('@')[1] === state.hq.window!.startedAt;
      const kind = state.hq.window!.kind;
      const opened: AlertEvent = kind === 'outage' ? 'hq.down' : 'window.opened';
      if (event === null) {
        event = opened;
        if (kind !== 'outage' && sameWindow)
          title = `${kind === 'failover' ? 'Failover' : 'Failback'} resumed: the ${kind === 'failover' ? 'secondary' : 'primary'} answers again`;
        else if (kind === 'outage' && sameWindow && previousKind !== 'outage')
          title = `${previousKind === 'failback' ? 'Failback' : 'Failover'} cannot complete: ${hqTitle(state)}`;
      }
    } else if (state.hq.window?.overrun && !thread.overrun && event === null) event = 'window.overrun';
    if (event === null && state.hq.state !== thread.hqState && SIGHTED(state.hq.state))
      event = state.hq.state === 'dual-active' ? 'hq.split-brain' : state.hq.state === 'hq-down' ? 'hq.down' : 'hq.changed';
  }
  if (event === null && foldedNews.length === 0) return null;
  if (event === null) {
    const first = foldedNews[0]!;
    event = first.event;
    title = first.title;
  }
  const folded = foldedNews.flatMap((n) => (n.title === title ? n.details : [n.title, ...n.details]));
  return {
    event,
    status,
    severity: hqSeverity(state),
    title,
    details: [...lines, ...folded, ...hqDetails(state)],
    sites: impactedSites(state),
    servers: [...new Set([...HQ_SERVERS, ...foldedNews.flatMap((n) => n.servers)])],
  };
}

/** The incident's resolve: how long it lasted, the window that closed, the folded threads that ended. */
export function incidentResolveDraft(thread: AlertThread, { state, events, foldedNews }: IncidentRound): Draft {
  const closedEvent = events.find((e) => e.type === 'incident-closed' && e.incidentId === thread.subject);
  const lasted = closedEvent && closedEvent.type === 'incident-closed' ? ` — the incident lasted ${clockText(closedEvent.durationMs)}` : '';
  const closedWindow = events.find((e): e is WindowClosedEvent => e.type === 'window-closed');
  const title = state.hq.state === 'primary-active' ? `Resolved: the primary HQ server is serving${lasted}` : `Resolved${lasted}`;
  const details = [
    ...(closedWindow ? [closedTitle(closedWindow, null)] : []),
    ...foldedNews.flatMap((n) => [n.title, ...n.details]),
    ...(state.hq.state === 'primary-active' ? ['Call Manager users log in with the primary server again.'] : []),
  ];
  return { event: 'incident.closed', status: 'resolve', severity: 'info', title, details, sites: [], servers: [...HQ_SERVERS] };
}

/** What a reminder of the incident says: the HQ state now. */
export function incidentReminder(state: LiveState): Draft {
  return {
    event: 'reminder',
    status: 'update',
    severity: hqSeverity(state),
    title: hqTitle(state),
    details: hqDetails(state),
    sites: impactedSites(state),
    servers: [...HQ_SERVERS],
  };
}
