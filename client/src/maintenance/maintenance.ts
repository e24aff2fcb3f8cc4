import type { MaintenanceWindow } from '@hqwatch/shared';

/** Lengths offered for a window opened on the spot. */
export const ON_THE_SPOT = [
  { label: '30 min', duration: '30m' },
  { label: '1 h', duration: '1h' },
  { label: '2 h', duration: '2h' },
] as const;

export type WindowPhase = 'in force' | 'planned' | 'over';

/** Where a window stands at `nowMs`. */
export function phaseOf(window: Pick<MaintenanceWindow, 'from' | 'to'>, nowMs: number): WindowPhase {
  if (Date.parse(window.to) <= nowMs) return 'over';
  return Date.parse(window.from) <= nowMs ? 'in force' : 'planned';
}

/**
 * The body of a scheduled window from the form's local date-times (`YYYY-MM-DDTHH:MM`, as a
 * datetime-local input gives them), or what is missing.
 */
export function scheduleBody(form: {
  from: string;
  to: string;
  reason: string;
}): { from: string; to: string; reason: string } | { error: string } {
  const reason = form.reason.trim();
  if (!reason) return { error: 'Say why: the reason is shown beside every incident it covers.' };
  const from = Date.parse(form.from);
  const to = Date.parse(form.to);
  if (Number.isNaN(from) || Number.isNaN(to)) return { error: 'Give a start and an end.' };
  if (to <= from) return { error: 'The end must be after the start.' };
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), reason };
}
