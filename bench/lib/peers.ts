/**
 * Figures measured elsewhere for the closest peer, Uptime Kuma 2.5.3 (Vue 3 + socket.io + SQLite +
 * chart.js), on a machine of the same kind (2 cores, Node 20.20.2) on 2026-11-25, TCP monitors
 * against loopback listeners; with a few other anchors. Quoted beside hqwatch's own figures, to be
 * compared as ratios, never as absolute times across machines.
 */
export const PEER = 'Uptime Kuma 2.5.3';

export const ELSEWHERE = {
  detectionFast: `${PEER}, 1 s interval, no retries: median 320 ms (22–620 ms), 0.32 × its interval — it alerts on the first failed check, with no debounce`,
  detectionDefault: `${PEER}, default 60 s interval: median 40.9 s (24.2–52.1 s), 0.68 × its interval; Gatus alerts after ~3 min by default; Nagios/Icinga take minutes to reach a hard state`,
  cpu: `${PEER}: 34% of a core for 100 monitors at 1 s; 500 monitors at 1 s saturate one core (only 264 of 500 checks/s happen)`,
  /** CPU milliseconds per check. */
  cpuMsPerCheck: 3.4,
  rss: `${PEER}: 150 MB idle, 211 MB with 500 monitors at 20 s, 509 MB with 500 monitors at 1 s`,
  probeRate: `Checkmk's micro core: ~10,000 checks/s on a desktop CPU; ${PEER}: 264 checks/s with one core saturated`,
  /** Database bytes per monitor per hour at 1 s. */
  dbBytesPerMonitorHour: 460 * 1024,
  socketMessages: `${PEER}: 5 socket messages per monitor per check (heartbeat, avgPing, 3× uptime); hqwatch: one state:changed per round, holding only what changed`,
} as const;

/** "ours is 0.1× theirs" phrasing for a per-check CPU cost. */
export function cpuPerCheckElsewhere(oursMs: number): string {
  const ratio = oursMs / ELSEWHERE.cpuMsPerCheck;
  return `${PEER}: ~${ELSEWHERE.cpuMsPerCheck} ms CPU per check (hqwatch: ${ratio.toFixed(2)}× that per probe)`;
}

/** Compares hqwatch's database bytes per node per day with the peer's per-monitor growth at 1 s. */
export function dbGrowthElsewhere(oursBytesPerNodeDay: number): string {
  const theirsPerDay = ELSEWHERE.dbBytesPerMonitorHour * 24;
  return `${PEER}: ~460 KB per monitor per hour at 1 s (~${(theirsPerDay / 1024 ** 2).toFixed(1)} MB per monitor per day; hqwatch per node of 3 probes: ${((oursBytesPerNodeDay / theirsPerDay) * 100).toFixed(2)}% of that)`;
}
