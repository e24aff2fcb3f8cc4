import { forUpdate } from './sql/dialect.ts';
import type { Sql } from './sql/sql.ts';

/**
 * Where the store's writer stands: the leadership term it writes under (0 while there is no
 * leadership) and the sequence number of its last committed write. One row, `store_writer`.
 */
export interface WriterPosition {
  term: number;
  seq: number;
}

/**
 * A write from an older term than the one recorded: another instance has taken over the store.
 * Retrying cannot cure it; the writer must stop writing.
 */
export class StaleWriterError extends Error {
  constructor(
    readonly term: number,
    readonly current: number,
  ) {
    super(`refused a write of term ${term}: the store is held by term ${current}`);
    this.name = 'StaleWriterError';
  }
}

export async function readWriterPosition(sql: Sql): Promise<WriterPosition> {
  return (await sql.get<WriterPosition>('SELECT term, seq FROM store_writer WHERE id = 1')) ?? { term: 0, seq: 0 };
}

/**
 * First step of every write transaction. Refuses a write from an older term (the fencing the
 * leadership builds on), recognises a write that was already committed (its COMMIT's answer was
 * lost, say in a network cut, and it is being retried) and otherwise records the write's position.
 * Returns whether the write should be applied.
 */
export async function claimWrite(tx: Sql, at: WriterPosition): Promise<boolean> {
  const held = await tx.get<WriterPosition>(`SELECT term, seq FROM store_writer WHERE id = 1${forUpdate(tx)}`);
  if (held && held.term > at.term) throw new StaleWriterError(at.term, held.term);
  if (held && held.term === at.term && held.seq >= at.seq) return false;
  await tx.run('UPDATE store_writer SET term = ?, seq = ? WHERE id = 1', [at.term, at.seq]);
  return true;
}
