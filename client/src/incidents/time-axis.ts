const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
];

/**
 * Tick positions for a time axis from `minMs` to `maxMs`: at most `maxTicks`, on round clock
 * times (every 5 s, 1 min, 15 min, 1 h…) of the zone whose offset from UTC is `zoneOffsetMs`.
 */
export function timeTicks(minMs: number, maxMs: number, maxTicks: number, zoneOffsetMs = 0): number[] {
  const length = maxMs - minMs;
  if (!(length > 0) || maxTicks < 1) return [];
  // Both ends can carry a tick: a range of n steps has up to n + 1.
  const step = STEPS.find((s) => length / s < maxTicks) ?? Math.ceil(length / Math.max(1, maxTicks - 1) / HOUR) * HOUR;
  const first = Math.ceil((minMs + zoneOffsetMs) / step) * step - zoneOffsetMs;
  const ticks: number[] = [];
  for (let t = first; t <= maxMs; t += step) ticks.push(t);
  return ticks;
}

/** Offset of local time from UTC at a moment, in ms (positive east of Greenwich). */
export function localOffsetMs(atMs: number): number {
  return -new Date(atMs).getTimezoneOffset() * MINUTE;
}
