/** When to try a failed delivery again: exponential backoff with jitter, and what a receiver asked for. */

/**
 * The delay before attempt `attempt + 1` after `attempt` failures: doubling from `firstMs` up to
 * `maxMs`, each drawn between half and all of that ("equal jitter"), so deliveries that failed
 * together do not all come back at the same instant.
 */
export function retryDelayMs(attempt: number, opts: { firstMs: number; maxMs: number }, random: () => number = Math.random): number {
  const base = Math.min(opts.maxMs, opts.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
}

/**
 * What an HTTP date (RFC 9110: IMF-fixdate, or the obsolete RFC 850 and asctime forms) has: a month
 * by name and a time. `Date.parse` alone takes far more ("-5" is a day in 2001).
 */
const HTTP_DATE = /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.*\b\d{2}:\d{2}:\d{2}\b/i;

/**
 * A `Retry-After` header (seconds, or an HTTP date) in milliseconds from `nowMs`; null when absent
 * or unreadable. Capped at an hour: a receiver cannot park a delivery forever.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : HTTP_DATE.test(text) ? Date.parse(text) - nowMs : Number.NaN;
  return Number.isFinite(ms) ? Math.min(Math.max(0, Math.round(ms)), 3_600_000) : null;
}
