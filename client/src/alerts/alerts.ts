import type { HqView, HqWindow } from '@hqwatch/shared';
import { WINDOW_NAME, clockText, closedWindowKind } from '@hqwatch/shared';
import { HQ_DOWN_CAUSE, HQ_STATE } from '../ui/status.ts';

export type AlertKind = 'window-opened' | 'window-changed' | 'window-closed' | 'overrun' | 'dual-active' | 'standby-lost';

export interface Alert {
  kind: AlertKind;
  title: string;
  body: string;
  /** Notifications with the same tag replace each other instead of piling up. */
  tag: string;
}

function sameWindow(a: HqWindow | null, b: HqWindow | null): boolean {
  return !!a && !!b && a.kind === b.kind && a.startedAt === b.startedAt;
}

function took(was: HqWindow, next: HqView): string {
  const ms = Date.parse(next.since) - Date.parse(was.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ` after ${clockText(ms)}` : '';
}

/** What a closing window turned out to be: a failover that ends back on the primary was an outage. */
function closedTitle(was: HqWindow, next: HqView): string {
  const direction = was.kind === 'outage' ? null : was.kind;
  const kind = closedWindowKind(direction, next.state);
  if (kind !== 'outage') return `${WINDOW_NAME[kind]} finished${took(was, next)}`;
  if (was.kind === 'failover') return `HQ outage over${took(was, next)}: the primary serves again, no failover happened`;
  if (was.kind === 'failback') return `HQ outage over${took(was, next)}: the secondary serves again, no failback happened`;
  return `HQ outage over${took(was, next)}`;
}

function openedAlert(now: HqWindow, next: HqView): Alert {
  if (now.kind === 'outage') {
    const why = next.cause ? `: ${HQ_DOWN_CAUSE[next.cause]}` : '';
    return { kind: 'window-opened', title: `HQ down${why}`, body: 'No Headquarters services.', tag: `window-${now.startedAt}` };
  }
  return {
    kind: 'window-opened',
    title: `${WINDOW_NAME[now.kind]} started`,
    body: 'No Headquarters services until it completes.',
    tag: `window-${now.startedAt}`,
  };
}

/** The same window turning an outage (its target died) or back (its target answers again). */
function changedAlert(was: HqWindow, now: HqWindow, next: HqView): Alert {
  const title =
    now.kind === 'outage'
      ? `${WINDOW_NAME[was.kind]} cannot complete: HQ down${next.cause ? `, ${HQ_DOWN_CAUSE[next.cause]}` : ''}`
      : `${WINDOW_NAME[now.kind]} resumed: the ${now.kind === 'failover' ? 'secondary' : 'primary'} answers again`;
  return { kind: 'window-changed', title, body: 'No Headquarters services yet.', tag: `window-${now.startedAt}` };
}

/**
 * What an on-call engineer must hear about between two HQ views: a window opening, changing (a
 * failover whose target dies becomes an HQ outage, and resumes when it returns) or closing, a
 * failover or failback overrunning, a split brain, and the standby lost while a server is HQ (a
 * warning of its own: nothing is lost yet, but no failover could complete). `prev` null (first
 * snapshot) raises nothing: opening the page is not news.
 */
export function alertsBetween(prev: HqView | null, next: HqView): Alert[] {
  if (!prev) return [];
  const alerts: Alert[] = [];
  const was = prev.window;
  const now = next.window;
  const label = HQ_STATE[next.state].word;
  const sameStretch = !!was && !!now && was.startedAt === now.startedAt;
  if (was && !sameStretch) {
    alerts.push({ kind: 'window-closed', title: closedTitle(was, next), body: `HQ is now: ${label}.`, tag: `window-${was.startedAt}` });
  }
  if (now && !sameStretch) alerts.push(openedAlert(now, next));
  if (was && now && sameStretch && was.kind !== now.kind) alerts.push(changedAlert(was, now, next));
  if (now?.overrun && !(sameWindow(was, now) && was?.overrun)) {
    alerts.push({
      kind: 'overrun',
      title: `${WINDOW_NAME[now.kind]} overrun`,
      body: `Longer than the expected maximum of ${clockText(now.expectedMaxMs)}.`,
      tag: `overrun-${now.startedAt}`,
    });
  }
  if (next.state === 'dual-active' && prev.state !== 'dual-active') {
    alerts.push({
      kind: 'dual-active',
      title: 'Split brain: both HQ servers serving',
      body: 'Primary and secondary both answer as Headquarters.',
      tag: 'dual-active',
    });
  }
  const active = next.state === 'primary-active' || next.state === 'secondary-active';
  if (
    active &&
    prev.state === next.state &&
    prev.standbyId === next.standbyId &&
    prev.standby === 'ready' &&
    next.standby === 'not-ready'
  ) {
    const server = next.standbyId === 'primary' ? 'primary' : 'secondary';
    alerts.push({
      kind: 'standby-lost',
      title: `Standby not ready: the ${server} HQ server does not answer`,
      body: `No service is lost, but a ${server === 'secondary' ? 'failover' : 'failback'} could not complete now.`,
      tag: 'standby',
    });
  }
  return alerts;
}
