/** Most keys a limiter remembers; past it the longest-idle are forgotten (an evicted key starts afresh). */
const MAX_KEYS = 10_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_KEYS) map.delete(map.keys().next().value!);
}

/**
 * A token bucket per key (a client address, a socket): `capacity` tokens, refilled at `perSecond`.
 * Memory is bounded whatever the number of keys.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes `cost` tokens: 0 when they were there, else the milliseconds until they will be (nothing taken). */
  take(key: string, cost = 1): number {
    const at = this.now();
    const held = this.buckets.get(key);
    const tokens = held ? Math.min(this.capacity, held.tokens + ((at - held.at) / 1000) * this.perSecond) : this.capacity;
    if (tokens >= cost) {
      remember(this.buckets, key, { tokens: tokens - cost, at });
      return 0;
    }
    remember(this.buckets, key, { tokens, at });
    return Math.ceil(((Math.min(cost, this.capacity) - tokens) / this.perSecond) * 1000);
  }
}

/**
 * Failures per key in a sliding window; `maxFailures` of them lock the key for `lockMs`. While
 * locked nothing is even tried, so guessing right during the lockout gains nothing.
 */
export class Lockout {
  private readonly failures = new Map<string, { times: number[]; lockedUntil: number }>();

  constructor(
    private readonly opts: { maxFailures: number; windowMs: number; lockMs: number },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds the key stays locked; 0 when it is not. */
  lockedFor(key: string): number {
    return Math.max(0, Math.ceil((this.failures.get(key)?.lockedUntil ?? 0) - this.now()));
  }

  fail(key: string): void {
    const at = this.now();
    const entry = this.failures.get(key) ?? { times: [], lockedUntil: 0 };
    const times = [...entry.times.filter((t) => at - t < this.opts.windowMs), at];
    const locked = times.length >= this.opts.maxFailures;
    remember(this.failures, key, { times: locked ? [] : times, lockedUntil: locked ? at + this.opts.lockMs : entry.lockedUntil });
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
