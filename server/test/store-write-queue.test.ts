/** The ordered write queue under the store: order, retries, folding, bounds, and a writer told to stop. */
import { describe, expect, it } from 'vitest';
import { createWriteQueue } from '../src/store/write-queue.ts';
import { eventually } from './support/app.ts';

class Refused extends Error {}

/** A queue over a fake database that can be failing, and remembers what it was given. */
function harness(opts: { max?: number; permanent?: boolean } = {}) {
  const written: string[] = [];
  let failing = false;
  let gate: Promise<void> | null = null;
  const queue = createWriteQueue<{ kind: 'batch' | 'beat'; name: string }, string>({
    max: opts.max ?? 100,
    write: async (item) => {
      if (gate) await gate;
      if (failing) throw opts.permanent ? new Refused('newer term') : new Error('database away');
      written.push(item.name);
      return item.name;
    },
    isPermanent: (err) => err instanceof Refused,
    merge: (last, next) => (last.kind === 'beat' && next.kind === 'beat' ? next : null),
    retryDelayMs: () => 10,
  });
  return {
    queue,
    written,
    fail: (v: boolean) => (failing = v),
    hold() {
      let open = () => {};
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = null;
        open();
      };
    },
    batch: (name: string) => queue.push({ kind: 'batch', name }),
    beat: (name: string) => queue.push({ kind: 'beat', name }),
  };
}

describe('the write queue', () => {
  it('writes in order and resolves each push once its item is written', async () => {
    const h = harness();
    const outcomes = await Promise.all([h.batch('a'), h.batch('b'), h.beat('c')]);
    expect(outcomes).toEqual([
      { committed: true, result: 'a' },
      { committed: true, result: 'b' },
      { committed: true, result: 'c' },
    ]);
    expect(h.written).toEqual(['a', 'b', 'c']);
  });

  it('keeps what fails at the head, lets callers go on at once, retries on a push and on a timer, in order', async () => {
    const h = harness();
    h.fail(true);
    expect(await h.batch('a')).toEqual({ committed: false });
    expect(h.queue.error()).toBe('database away');
    expect(await h.batch('b')).toEqual({ committed: false });
    expect(h.queue.size()).toBe(2);
    h.fail(false);
    // Nothing pushed: the timer retries.
    await eventually(() => h.queue.size() === 0, 5_000, 'the retry');
    expect(h.written).toEqual(['a', 'b']);
    expect(h.queue.error()).toBeNull();
  });

  it('folds heartbeats waiting behind a failure into the latest one', async () => {
    const h = harness();
    h.fail(true);
    await h.batch('a');
    await h.beat('t1');
    await h.beat('t2');
    await h.batch('b');
    await h.beat('t3');
    expect(h.queue.size()).toBe(4);
    h.fail(false);
    await h.batch('c');
    expect(h.written).toEqual(['a', 't2', 'b', 't3', 'c']);
  });

  it('while a write is slow, later pushes wait for their own commit; behind a failure they do not', async () => {
    const h = harness();
    let open = h.hold();
    let settled = false;
    const pending = h.batch('a').then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    expect(h.queue.oldestMs()).toBeGreaterThan(0);
    open();
    await pending;

    h.fail(true);
    await h.batch('b');
    open = h.hold();
    h.queue.drain(); // a retry, stuck on the slow database
    expect(await h.batch('c')).toEqual({ committed: false }); // at once: it waits behind a failure
    h.fail(false);
    open();
    await h.batch('d');
    await h.queue.settled();
    expect(h.written).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drops the oldest waiting items past its bound and says how many', async () => {
    const h = harness({ max: 3 });
    h.fail(true);
    for (const name of ['a', 'b', 'c', 'd', 'e']) await h.batch(name);
    expect(h.queue.size()).toBe(3);
    expect(h.queue.error()).toBe('database away (2 batches dropped)');
    h.fail(false);
    await h.batch('f');
    expect(h.written).toEqual(['d', 'e', 'f']);
  });

  it('stops for good on a permanent refusal: everything dropped, nothing written again, the reason kept', async () => {
    const h = harness({ permanent: true });
    h.fail(true);
    expect(await h.batch('a')).toEqual({ committed: false });
    expect(h.queue.stopped()).toBe(true);
    h.fail(false);
    expect(await h.batch('b')).toEqual({ committed: false });
    expect(h.written).toEqual([]);
    expect(h.queue.size()).toBe(0);
    expect(h.queue.error()).toBe('newer term');
  });

  it('when the writer changes hands mid-write and that write is then refused, drops it alone: the new hand writes on', async () => {
    const written: string[] = [];
    const refusedNow = new Set<string>();
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const dropped: unknown[] = [];
    const queue = createWriteQueue<string, string>({
      max: 100,
      write: async (name) => {
        if (name === 'old') await gate;
        if (refusedNow.has(name)) throw new Refused('newer term');
        written.push(name);
        return name;
      },
      isPermanent: (err) => err instanceof Refused,
      onOrphanRefused: (err) => dropped.push(err),
      retryDelayMs: () => 10,
    });
    const old = queue.push('old');
    queue.push('waiting');
    expect(queue.reset()).toBe(1); // the leader stands down, or takes a new term: 'waiting' is forgotten
    const next = [queue.push('new-1'), queue.push('new-2')];
    refusedNow.add('old'); // the store is held by a newer term now
    open();
    expect(await old).toEqual({ committed: false });
    expect(await Promise.all(next)).toEqual([
      { committed: true, result: 'new-1' },
      { committed: true, result: 'new-2' },
    ]);
    expect(written).toEqual(['new-1', 'new-2']);
    expect(queue.stopped()).toBe(false);
    expect(queue.error()).toBeNull();
    expect(dropped).toHaveLength(1);
    // A refusal of the current hand's own write still stops the queue.
    refusedNow.add('new-3');
    expect(await queue.push('new-3')).toEqual({ committed: false });
    expect(queue.stopped()).toBe(true);
  });
});
