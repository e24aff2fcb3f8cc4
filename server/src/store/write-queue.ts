export interface WriteQueueOptions<T> {
  /** Most items held; past it the oldest are dropped (and counted in the error). */
  max: number;
  /** Writes one item; throws when it could not. */
  write(item: T): void;
  onError?(err: unknown, queued: number): void;
}

/**
 * Writes items in order, synchronously. An item that fails stays at the head and everything after
 * it waits, so the database never sees history out of order; each push or drain retries. The
 * caller never sees the exception: the failure is kept for health reports until a write succeeds.
 */
export function createWriteQueue<T>(opts: WriteQueueOptions<T>) {
  const items: T[] = [];
  let failure: string | null = null;
  let dropped = 0;

  function drain(): void {
    while (items.length > 0) {
      try {
        opts.write(items[0]!);
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
        opts.onError?.(err, items.length);
        return;
      }
      items.shift();
    }
    failure = null;
  }

  return {
    push(item: T): void {
      items.push(item);
      if (items.length > opts.max) {
        items.splice(0, items.length - opts.max);
        dropped += 1;
      }
      drain();
    },
    drain,
    size: (): number => items.length,
    /** The last failure while items wait, with how many were dropped; null when all is written. */
    error(): string | null {
      if (failure === null) return null;
      return dropped > 0 ? `${failure} (${dropped} batches dropped)` : failure;
    },
  };
}
