import { formatElapsed, type WindowKind, type WindowSummary } from '@hqwatch/shared';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A duration as `m:ss`, or `h:mm:ss` from an hour, rounded to the second; `—` when unknown. */
export function formatDurationMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return formatElapsed(Math.round(Math.max(0, ms) / 1000) * 1000);
}

/** `YYYY-MM-DD hh:mm:ss` in UTC or local time; `—` for a missing or invalid time. */
export function formatInstant(time: string | number | null, utc: boolean): string {
  const date = time === null ? null : new Date(time);
  if (!date || Number.isNaN(date.getTime())) return '—';
  const parts = utc
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number];
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

export const WINDOW_LABEL: Record<WindowKind, string> = { failover: 'Failover', failback: 'Failback', outage: 'Outage' };

/** How a window compares with its expected range, in words (never by colour alone). */
export const VERDICT: Record<WindowSummary['verdict'], { word: string; glyph: string; tone: 'ok' | 'warn' | 'bad' | 'info' }> = {
  short: { word: 'shorter than expected', glyph: '↓', tone: 'info' },
  expected: { word: 'within expected', glyph: '✓', tone: 'ok' },
  overrun: { word: 'overrun', glyph: '▲', tone: 'bad' },
  open: { word: 'still open', glyph: '…', tone: 'warn' },
  'no-expected-length': { word: 'an outage: no expected length', glyph: '–', tone: 'info' },
};

/** `5:00–20:00`: the expected range of a window in the same notation as its duration. */
export function expectedRange(window: Pick<WindowSummary, 'expectedMinMs' | 'expectedMaxMs'>): string {
  return `${formatDurationMs(window.expectedMinMs)}–${formatDurationMs(window.expectedMaxMs)}`;
}

/**
 * The value of a `datetime-local` input for a time, in UTC or local time; and back. The input has
 * no zone, so the page's UTC toggle says which one it is in.
 */
export function toDateInput(ms: number, utc: boolean): string {
  return formatInstant(ms, utc).replace(' ', 'T').slice(0, 16);
}

export function fromDateInput(value: string, utc: boolean): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const ms = utc ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isNaN(ms) ? null : ms;
}
