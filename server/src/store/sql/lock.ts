/**
 * A promise-chain lock: `run` calls execute one at a time, in the order they were made. The SQLite
 * connection is one, and an async transaction awaits between its statements: without the lock a
 * read (or another write) issued meanwhile would run inside that transaction.
 */
export function createLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => T | Promise<T>): Promise<T> {
      const result = tail.then(fn);
      // The next holder waits for this one to finish, whether it succeeded or not.
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
  };
}
