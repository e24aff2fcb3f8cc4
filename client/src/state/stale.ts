/** How many missed update intervals make the data stale. */
export const STALE_AFTER_INTERVALS = 3;

export interface Freshness {
  connected: boolean;
  /** Client clock (ms) of the last update received, or null before the first one. */
  lastUpdateAt: number | null;
  intervalMs: number;
}

/**
 * The moment (client clock, ms) since which the data on screen can no longer be trusted, or null
 * while it is fresh. It is the last update received: everything after it is unknown.
 * A connected socket that has gone quiet for 3 intervals is as stale as a closed one.
 */
export function staleSince(freshness: Freshness, nowMs: number): number | null {
  const { connected, lastUpdateAt, intervalMs } = freshness;
  if (lastUpdateAt === null) return null;
  if (!connected) return lastUpdateAt;
  const limit = STALE_AFTER_INTERVALS * Math.max(intervalMs, 1);
  return nowMs - lastUpdateAt > limit ? lastUpdateAt : null;
}
