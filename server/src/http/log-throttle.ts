/**
 * Whether to log an event of `key` now: at most once per `ms` per key, so an attacker repeating a
 * refused request cannot flood the log (and the disk) with it. The keys kept are bounded.
 */
export function logThrottle(ms: number, now: () => number = () => performance.now()): (key: string) => boolean {
  const last = new Map<string, number>();
  return (key) => {
    const at = now();
    const previous = last.get(key);
    if (previous !== undefined && at - previous < ms) return false;
    if (last.size >= 1_000) last.clear();
    last.set(key, at);
    return true;
  };
}
