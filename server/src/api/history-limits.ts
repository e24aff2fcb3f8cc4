import type { Context, Middleware } from 'koa';
import { clientAddress } from '../http/client-address.ts';
import { HttpError } from '../http/http-error.ts';
import { TokenBuckets } from '../http/rate-limit.ts';

/** How much history work clients may ask for. */
export interface HistoryLimits {
  /** Cost units per second per client address once the burst is spent, and the burst. */
  perSecond: number;
  burst: number;
  /** Requests of one client in progress or waiting at once. */
  perClient: number;
  /** Requests worked on at once, all clients together; the others wait in line. */
  concurrent: number;
  /** Requests that may wait in line; past it they are refused. */
  queue: number;
}

/**
 * The dashboard asks one replay at a time while scrubbing (a few dozen a second at most, each
 * cheap) and a handful of list, detail and availability requests per page: 40 units a second with a
 * burst of 200 is well above it, and far below what would keep the loop busy. One request is worked
 * on at a time: while the store reads synchronously, two started from timers of the same turn would
 * run back to back; a store that awaits its database frees the loop meanwhile anyway.
 */
export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { perSecond: 40, burst: 200, perClient: 4, concurrent: 1, queue: 64 };

const DAY_MS = 86_400_000;

/** What a request costs: an availability report a unit per 30 days of range, an export a few. */
function costOf(ctx: Context): number {
  if (ctx.path.endsWith('/availability')) {
    const to = Date.parse(String(ctx.query.to ?? '')) || Date.now();
    const from = Date.parse(String(ctx.query.from ?? '')) || to - 30 * DAY_MS;
    const days = Math.max(0, Math.min(400, (to - from) / DAY_MS));
    return 1 + Math.ceil(days / 30);
  }
  if (ctx.path.endsWith('/export')) return 3;
  return 1;
}

function tooMany(ctx: Context, retryAfterMs: number, why: string): HttpError {
  ctx.set('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return new HttpError(429, 'rate_limited', `too many history requests: ${why}; retry later`);
}

/** Yields to the event loop's timers: a round due now runs before the next piece of history work. */
const yieldToTimers = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Middleware in front of the history routes: a cost budget per client address (429 with
 * `Retry-After` past it), a cap on each client's requests in progress, and a line in which at most
 * `concurrent` requests are worked on at once, each started from a timer of its own. A burst of
 * expensive requests arriving together would otherwise run back to back in one turn of the event
 * loop and hold a monitor round behind them; in line, a round's timer runs between any two.
 */
export function historyLimits(limits: HistoryLimits, trustedProxies: () => readonly string[]): Middleware {
  const budget = new TokenBuckets(limits.burst, limits.perSecond);
  const perClient = new Map<string, number>();
  const line: (() => void)[] = [];
  let running = 0;

  async function turn(): Promise<void> {
    if (running < limits.concurrent) running += 1;
    else await new Promise<void>((resolve) => line.push(resolve));
    await yieldToTimers();
  }
  function done(): void {
    const next = line.shift();
    if (next) next();
    else running -= 1;
  }

  return async function historyLimits(ctx, next) {
    const client = clientAddress(ctx.req, trustedProxies());
    const wait = budget.take(client, costOf(ctx));
    if (wait > 0) throw tooMany(ctx, wait, 'over the rate for this address');
    const mine = perClient.get(client) ?? 0;
    if (mine >= limits.perClient) throw tooMany(ctx, 1000, `${mine} already in progress from this address`);
    if (running >= limits.concurrent && line.length >= limits.queue) throw tooMany(ctx, 1000, 'the server is busy');
    perClient.set(client, mine + 1);
    try {
      await turn();
      try {
        await next();
      } finally {
        done();
      }
    } finally {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    }
  };
}
