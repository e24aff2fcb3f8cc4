import type { Database } from 'better-sqlite3';
import type { EngineCore } from '@hqwatch/shared';
import { toIso } from './time.ts';

export interface StoredCore {
  core: EngineCore;
  at: string;
}

/**
 * Engine cores as they were when something that shows changed. Replay rebuilds the live state at
 * T from the last one at or before T; a restart resumes from the newest.
 */
export function snapshotsRepository(db: Database) {
  const insert = db.prepare('INSERT INTO core_snapshots (at, core) VALUES (?, ?)');
  const latest = db.prepare('SELECT at, core FROM core_snapshots ORDER BY id DESC LIMIT 1');
  const atOrBefore = db.prepare('SELECT at, core FROM core_snapshots WHERE at <= ? ORDER BY at DESC, id DESC LIMIT 1');
  const read = (row: unknown): StoredCore | null => {
    if (!row) return null;
    const { at, core } = row as { at: number; core: string };
    return { at: toIso(at), core: JSON.parse(core) as EngineCore };
  };
  return {
    add(atMs: number, coreJson: string): void {
      insert.run(atMs, coreJson);
    },
    latest: (): StoredCore | null => read(latest.get()),
    atOrBefore: (atMs: number): StoredCore | null => read(atOrBefore.get(atMs)),
  };
}

export type SnapshotsRepository = ReturnType<typeof snapshotsRepository>;
