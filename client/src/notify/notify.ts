import type { NotifyOverview } from '@hqwatch/shared';

/** How often the header asks how alerting stands: undeliverable alerts are rare and change slowly. */
export const NOTIFY_POLL_MS = 15_000;

/** The header badge's words, or null when nothing is wrong (or alerting is off). */
export function badgeText(overview: Pick<NotifyOverview, 'undeliverable'> | null): string | null {
  if (!overview || overview.undeliverable === 0) return null;
  return `${overview.undeliverable} alert${overview.undeliverable === 1 ? '' : 's'} undeliverable`;
}

/** What to tell an operator when a test send, a retry or a maintenance change is refused. */
export function operatorErrorText(status: number, message: string): string {
  if (status === 401) return 'The operator token was refused. Check it and try again.';
  if (status === 0) return 'The server cannot be reached.';
  return message;
}
