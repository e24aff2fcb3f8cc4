import { TokenBuckets } from '../http/rate-limit.ts';

/** How many full snapshots may be asked for and written at once. */
export interface SyncLimits {
  /**
   * Snapshots the sockets of one client address may be sent per second once their burst is spent,
   * and that burst: per address, not per socket, so reconnecting does not buy a new burst.
   */
  perSecond: number;
  burst: number;
  /** Snapshots being written at once, all sockets together: bounds the memory they hold. */
  slots: number;
  /** A snapshot not taken by its client within this is given up and the client dropped. */
  writeTimeoutMs: number;
}

/** A wall asks once per connection and on a rare gap; a NAT of 20 walls reconnecting at once is served within 5 s. */
export const DEFAULT_SYNC_LIMITS: SyncLimits = { perSecond: 2, burst: 10, slots: 32, writeTimeoutMs: 15_000 };

interface Client {
  id: string;
  /** The client address its rate is counted under. */
  address: string;
  inFlight: boolean;
  /** The latest sync asked while another was in flight or over the rate; earlier ones are dropped. */
  waiting: (() => void) | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  closed: boolean;
  /** Frees the slot of the answer in flight, if any. */
  release: (() => void) | null;
}

export interface SyncGateStats {
  answered: number;
  /** Syncs dropped because a later one from the same socket superseded them. */
  coalesced: number;
  /** Clients dropped for not taking a snapshot within `writeTimeoutMs`. */
  timedOut: number;
}

/**
 * At most one `state:sync` answer in flight per socket, at most `slots` across all sockets, and a
 * rate per client address. A sync asked while its socket's previous answer is still being written (or over
 * the rate, or with no slot free) waits; only the latest waits, earlier ones are never answered (a
 * client only needs the newest snapshot, and the dashboard asks one at a time). So a flood of
 * syncs costs one snapshot in flight per socket, whatever its size.
 */
export class SyncGate {
  private readonly clients = new Map<string, Client>();
  private readonly buckets: TokenBuckets;
  private busy = 0;
  /** Sockets waiting for a slot, in order. */
  private readonly queue: Client[] = [];
  readonly stats: SyncGateStats = { answered: 0, coalesced: 0, timedOut: 0 };

  constructor(private readonly limits: SyncLimits) {
    this.buckets = new TokenBuckets(limits.burst, limits.perSecond);
  }

  /**
   * Asks to answer a sync of socket `id`: `start` runs when its turn comes, and must call the
   * `release` it is given once the answer is written (calling it again does nothing). When it is
   * not called within `writeTimeoutMs`, the slot is freed and `onTimeout` called (to drop the client).
   */
  ask(id: string, address: string, start: (release: () => void) => void, onTimeout: () => void): void {
    const client = this.clients.get(id) ?? this.add(id, address);
    if (client.waiting) this.stats.coalesced += 1;
    client.waiting = () => this.begin(client, start, onTimeout);
    this.pump(client);
  }

  /** Forgets a socket that disconnected; its slot, if it held one, is freed by its release. */
  forget(id: string): void {
    const client = this.clients.get(id);
    if (!client) return;
    client.closed = true;
    client.waiting = null;
    clearTimeout(client.timer);
    this.clients.delete(id);
    client.release?.();
  }

  private add(id: string, address: string): Client {
    const client: Client = { id, address, inFlight: false, waiting: null, timer: undefined, closed: false, release: null };
    this.clients.set(id, client);
    return client;
  }

  private pump(client: Client): void {
    if (client.closed || client.inFlight || !client.waiting || client.timer) return;
    if (this.busy >= this.limits.slots) {
      if (!this.queue.includes(client)) this.queue.push(client);
      return;
    }
    const waitMs = this.buckets.take(client.address);
    if (waitMs > 0) {
      client.timer = setTimeout(() => {
        client.timer = undefined;
        this.pump(client);
      }, waitMs);
      client.timer.unref();
      return;
    }
    const go = client.waiting;
    client.waiting = null;
    go();
  }

  private begin(client: Client, start: (release: () => void) => void, onTimeout: () => void): void {
    client.inFlight = true;
    this.busy += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(watchdog);
      client.release = null;
      client.inFlight = false;
      this.busy -= 1;
      this.stats.answered += 1;
      this.pump(client);
      while (this.busy < this.limits.slots && this.queue.length > 0) this.pump(this.queue.shift()!);
    };
    const watchdog = setTimeout(() => {
      this.stats.timedOut += 1;
      release();
      onTimeout();
    }, this.limits.writeTimeoutMs);
    watchdog.unref();
    client.release = release;
    start(release);
  }
}
