/** Display formatting shared by every view. Times are shown as operators read clocks: 24 h. */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function toDate(time: string | number): Date | null {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `hh:mm:ss` in UTC or local time; `--:--:--` for a missing or invalid time. */
export function formatClock(time: string | number | null, utc: boolean): string {
  const date = time === null ? null : toDate(time);
  if (!date) return '--:--:--';
  const [h, m, s] = utc
    ? [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getHours(), date.getMinutes(), date.getSeconds()];
  return `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** `YYYY-MM-DD hh:mm` in UTC or local time. */
export function formatDateTime(time: string | number | null, utc: boolean): string {
  const date = time === null ? null : toDate(time);
  if (!date) return '—';
  const parts = utc
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes()];
  const [y, mo, d, h, mi] = parts as [number, number, number, number, number];
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}`;
}

/** The zone suffix that goes with times formatted with the same `utc` flag. */
export function zoneLabel(utc: boolean): string {
  return utc ? 'UTC' : 'local';
}

/** Probe latency: `3 ms`, `1.2 s`, or `—` when there is none. */
export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `1 site`, `3 sites`: counts always carry their noun. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/** How long ago, coarse: `just now`, `42 s ago`, `12 min ago`, `3 h ago`, `2 d ago`. */
export function formatAgo(time: string | number, nowMs: number): string {
  const then = typeof time === 'number' ? time : Date.parse(time);
  if (Number.isNaN(then)) return '';
  const s = Math.max(0, Math.round((nowMs - then) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}
