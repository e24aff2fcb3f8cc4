import type { EngineCore } from '@hqwatch/shared';
import type { Sql } from './sql/sql.ts';
import { toIso } from './time.ts';

export interface StoredCore {
  core: EngineCore;
  at: string;
}

function read(row: { at: number; core: string } | undefined): StoredCore | null {
  return row ? { at: toIso(row.at), core: JSON.parse(row.core) as EngineCore } : null;
}

/**
 * Engine cores as they were when something that shows changed. Replay rebuilds the live state at
 * T from the last one at or before T; a restart resumes from the newest.
 */
export function snapshotsRepository(sql: Sql) {
  return {
    async add(atMs: number, coreJson: string): Promise<void> {
      await sql.run('INSERT INTO core_snapshots (at, core) VALUES (?, ?)', [atMs, coreJson]);
    },
    latest: async (): Promise<StoredCore | null> => read(await sql.get('SELECT at, core FROM core_snapshots ORDER BY id DESC LIMIT 1')),
    atOrBefore: async (atMs: number): Promise<StoredCore | null> =>
      read(await sql.get('SELECT at, core FROM core_snapshots WHERE at <= ? ORDER BY at DESC, id DESC LIMIT 1', [atMs])),
  };
}
