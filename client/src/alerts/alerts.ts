import type { HqView, HqWindow } from '@hqwatch/shared';
import { formatWindowElapsed } from '../state/banner.ts';
import { HQ_STATE } from '../ui/status.ts';

export type AlertKind = 'window-opened' | 'window-closed' | 'overrun' | 'dual-active';

export interface Alert {
  kind: AlertKind;
  title: string;
  body: string;
  /** Notifications with the same tag replace each other instead of piling up. */
  tag: string;
}

const WINDOW_NAME = { failover: 'Failover', failback: 'Failback', outage: 'HQ outage' } as const;

function sameWindow(a: HqWindow | null, b: HqWindow | null): boolean {
  return !!a && !!b && a.kind === b.kind && a.startedAt === b.startedAt;
}

/**
 * What an on-call engineer must hear about between two HQ views: a window opening or closing, a
 * window overrunning, or a split brain. `prev` null (first snapshot) raises nothing: opening the
 * page is not news.
 */
export function alertsBetween(prev: HqView | null, next: HqView): Alert[] {
  if (!prev) return [];
  const alerts: Alert[] = [];
  const was = prev.window;
  const now = next.window;
  const label = HQ_STATE[next.state].word;
  if (was && !sameWindow(was, now)) {
    const took = Date.parse(next.since) - Date.parse(was.startedAt);
    const duration = Number.isFinite(took) && took >= 0 ? ` after ${formatWindowElapsed(took)}` : '';
    alerts.push({
      kind: 'window-closed',
      title: `${WINDOW_NAME[was.kind]} finished${duration}`,
      body: `HQ is now: ${label}.`,
      tag: `window-${was.startedAt}`,
    });
  }
  if (now && !sameWindow(was, now)) {
    alerts.push({
      kind: 'window-opened',
      title: `${WINDOW_NAME[now.kind]} started`,
      body: 'No Headquarters services until it completes.',
      tag: `window-${now.startedAt}`,
    });
  }
  if (now?.overrun && !(sameWindow(was, now) && was?.overrun)) {
    alerts.push({
      kind: 'overrun',
      title: `${WINDOW_NAME[now.kind]} overrun`,
      body: `Longer than the expected maximum of ${formatWindowElapsed(now.expectedMaxMs)}.`,
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
  return alerts;
}
