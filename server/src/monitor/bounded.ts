/**
 * Runs tasks with at most `concurrency` in flight and returns their results in task order, as
 * `Promise.all` would. A rejection rejects the whole run once the tasks in flight have ended; tasks
 * not yet started are then skipped.
 */
export async function runBounded<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
  const results = new Array<T>(tasks.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < tasks.length) {
      const index = next++;
      try {
        results[index] = await tasks[index]();
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const width = Math.min(Math.floor(concurrency), tasks.length);
  const workers = Array.from({ length: width }, worker);
  // allSettled first: no worker is left running unobserved when one of them fails.
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}
