/** Units accepted in duration strings, in milliseconds. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Parses a duration such as `500ms`, `2s`, `5m`, `1.5h` or `90d` into milliseconds.
 * Returns `null` for anything else, so callers can report the bad value with its path.
 */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** Formats milliseconds as `m:ss` below an hour and `h:mm:ss` above, as operators read clocks. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Formats milliseconds as the shortest readable duration: `500ms`, `12s`, `5m`, `1h 30m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return s ? `${m}m ${s}s` : `${m}m`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return m ? `${h}h ${m}m` : `${h}h`;
}

/**
 * A duration as a postmortem says it: `850 ms`, `21 s`, `12 min 30 s`, `1 h 5 min`, `2 d 3 h`.
 * Whole seconds below an hour, whole minutes below a day, whole hours beyond: what a reader
 * compares, without a precision the monitor's interval cannot give.
 */
export function durationWords(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)} ms`;
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
  const s = Math.round(value / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return pair(Math.floor(s / 60), 'min', s % 60, 's');
  const min = Math.round(value / 60_000);
  if (min < 1440) return pair(Math.floor(min / 60), 'h', min % 60, 'min');
  const h = Math.round(value / 3_600_000);
  return pair(Math.floor(h / 24), 'd', h % 24, 'h');
}
