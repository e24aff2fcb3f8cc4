/**
 * Settles as `work` does, or rejects with `error()` after `ms`: for a figure a health answer may go
 * without (the outbox counts, the database's size) when the database does not answer. The work
 * itself goes on; its late answer is dropped.
 */
export function settleWithin<T>(work: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  work.catch(() => undefined); // a rejection after the deadline is not unhandled
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
