/** How a queued item's wait ended: written, or kept for a retry (or dropped) after a failure. */
export type Outcome<R> = { committed: true; result: R } | { committed: false };

export interface WriteQueueOptions<T, R> {
  /** Most items held; past it the oldest waiting ones are dropped (and counted in the error). */
  max: number;
  /** Writes one item; rejects when it could not. */
  write(item: T): Promise<R>;
  /** A failure that retrying cannot cure: every item is dropped and the queue stops. */
  isPermanent?(err: unknown): boolean;
  /** Folds `next` into the last waiting item instead of queuing it (e.g. two heartbeats); null when they do not fold. */
  merge?(last: T, next: T): T | null;
  onError?(err: unknown, queued: number): void;
  onRecovered?(written: number): void;
  /** A write in flight when the writer changed hands (see `reset`) was refused for good: it alone was dropped. */
  onOrphanRefused?(err: unknown): void;
  /** Delay before the n-th retry (1, 2, …) when nothing new comes to trigger one. */
  retryDelayMs?(attempt: number): number;
}

interface Entry<T, R> {
  item: T;
  queuedAt: number;
  waiters: ((outcome: Outcome<R>) => void)[];
}

const defaultDelay = (attempt: number) => Math.min(5_000, 100 * 2 ** (attempt - 1));

/**
 * Writes items one at a time, in order, in the background. An item that fails stays at the head and
 * everything after it waits, so the database never sees history out of order. A push retries the
 * head at once (a round's write is the natural retry), and a timer retries with backoff when no
 * push comes. `push` resolves once the item is written, or once it is safely queued behind a
 * failure; it never rejects. The failure is kept for health reports until a write succeeds.
 */
export function createWriteQueue<T, R>(opts: WriteQueueOptions<T, R>) {
  const entries: Entry<T, R>[] = [];
  let failure: string | null = null;
  let stopped: string | null = null;
  let dropped = 0;
  let attempts = 0;
  let running = false;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /** The entry that was being written when the writer last changed hands: its hand's, not the current one's. */
  let orphan: Entry<T, R> | null = null;
  const idle = new Set<() => void>();
  const delay = opts.retryDelayMs ?? defaultDelay;

  const settle = (entry: Entry<T, R>, outcome: Outcome<R>): void => {
    for (const resolve of entry.waiters.splice(0)) resolve(outcome);
  };
  const notifyIdle = (): void => {
    if (running && failure === null) return;
    for (const resolve of [...idle]) resolve();
    idle.clear();
  };

  async function loop(): Promise<void> {
    running = true;
    let written = 0;
    while (entries.length > 0) {
      const head = entries[0]!;
      let result: R;
      try {
        result = await opts.write(head.item);
      } catch (err) {
        const permanent = opts.isPermanent?.(err) ?? false;
        if (permanent && head === orphan) {
          // The previous hand's last write, refused now that another holds the store: it goes, and
          // the current hand's writes behind it go on.
          orphan = null;
          entries.shift();
          settle(head, { committed: false });
          opts.onOrphanRefused?.(err);
          continue;
        }
        if (permanent) {
          stopped = err instanceof Error ? err.message : String(err);
          failure = stopped;
          for (const entry of entries.splice(0)) settle(entry, { committed: false });
        } else {
          failure = err instanceof Error ? err.message : String(err);
          attempts += 1;
          // Everything waiting is safely queued now: let the callers go on.
          for (const entry of entries) settle(entry, { committed: false });
          if (!closed) {
            retry = setTimeout(kick, delay(attempts));
            retry.unref();
          }
        }
        opts.onError?.(err, entries.length);
        running = false;
        notifyIdle();
        return;
      }
      entries.shift();
      if (head === orphan) orphan = null;
      written += 1;
      settle(head, { committed: true, result });
    }
    if (failure !== null) {
      failure = null;
      attempts = 0;
      opts.onRecovered?.(written);
    }
    running = false;
    notifyIdle();
  }

  function kick(): void {
    clearTimeout(retry);
    retry = undefined;
    if (running || closed || stopped !== null || entries.length === 0) return;
    void loop();
  }

  return {
    push(item: T): Promise<Outcome<R>> {
      if (stopped !== null) return Promise.resolve({ committed: false });
      const tail = entries.length > (running ? 1 : 0) ? entries[entries.length - 1] : undefined;
      const merged = tail && opts.merge ? opts.merge(tail.item, item) : null;
      const entry: Entry<T, R> = merged !== null && tail ? tail : { item, queuedAt: Date.now(), waiters: [] };
      if (merged !== null) entry.item = merged;
      else {
        entries.push(entry);
        // Past the bound the oldest waiting items go; the one being written stays.
        const first = running ? 1 : 0;
        while (entries.length > opts.max && entries.length > first + 1) {
          settle(entries.splice(first, 1)[0]!, { committed: false });
          dropped += 1;
        }
      }
      const outcome = new Promise<Outcome<R>>((resolve) => entry.waiters.push(resolve));
      // While a retry is in flight behind a failure, the caller need not wait for it.
      if (running && failure !== null) settle(entry, { committed: false });
      kick();
      return outcome;
    },
    /** Retries now what waits, if nothing is being written. */
    drain: kick,
    /** Resolves once nothing is being written: everything is written, or waits behind a failure. */
    settled(): Promise<void> {
      if (!running && (entries.length === 0 || failure !== null)) return Promise.resolve();
      return new Promise((resolve) => idle.add(resolve));
    },
    size: (): number => entries.length,
    /** How long the oldest unwritten item has waited, in ms (0 when none). */
    oldestMs: (): number => (entries.length === 0 ? 0 : Date.now() - entries[0]!.queuedAt),
    /** The last failure while items wait, with how many were dropped; null when all is written. */
    error(): string | null {
      if (failure === null) return null;
      return dropped > 0 ? `${failure} (${dropped} batches dropped)` : failure;
    },
    /** Whether the queue stopped for good (a permanent failure). */
    stopped: (): boolean => stopped !== null,
    /**
     * Forgets every waiting write (each told it was not committed) and a permanent stop: the writer
     * changed hands (a leader stood down, or took over). A write in flight ends on its own: it is
     * retried while the database is away (it may still land under its own term), and if it is
     * refused for good only it is dropped, never the writes queued after the reset.
     */
    reset(): number {
      orphan = running ? (entries[0] ?? null) : null;
      const forgotten = entries.length - (running ? 1 : 0);
      for (const entry of entries.splice(running ? 1 : 0)) settle(entry, { committed: false });
      clearTimeout(retry);
      retry = undefined;
      ({ failure, stopped, dropped, attempts } = { failure: null, stopped: null, dropped: 0, attempts: 0 });
      notifyIdle();
      return forgotten;
    },
    /** Writes nothing more: no retry, no new write (the database is about to close). */
    close(): void {
      closed = true;
      clearTimeout(retry);
      retry = undefined;
    },
  };
}
