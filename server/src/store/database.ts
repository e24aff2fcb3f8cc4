import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import Sqlite, { type Database } from 'better-sqlite3';
import { migrate, SCHEMA_VERSION } from './migrations.ts';
import { StoreOpenError } from './open-error.ts';

/** File name of the history database inside the data directory. */
export const DB_FILE = 'hqwatch.db';

export { StoreOpenError, STORE_EXIT_CODES, type StoreOpenFailure } from './open-error.ts';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** A non-empty file that does not start with SQLite's header is refused before SQLite touches it. */
function checkHeader(file: string): void {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return; // no file yet: a new database
  }
  if (size === 0) return;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw corrupt(file, 'the file does not start with the SQLite header');
}

function corrupt(file: string, detail: string): StoreOpenError {
  return new StoreOpenError(
    'corrupt',
    `the history database ${file} is corrupt (${detail.replace(/\s+/g, ' ').trim()}). hqwatch will not replace it: move it aside to start a new history, or restore a backup.`,
  );
}

function classify(err: unknown, file: string): StoreOpenError {
  if (err instanceof StoreOpenError) return err;
  const code = (err as { code?: unknown }).code;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreOpenError(
      'locked',
      `the history database ${file} is in use by another process (another hqwatch?). Stop it, or give this one another --data directory.`,
    );
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return corrupt(file, detail);
  return new StoreOpenError('io', `cannot open the history database ${file}: ${detail}`);
}

export interface OpenDatabaseOptions {
  /** How long to wait for a lock held by someone else before giving up. */
  busyTimeoutMs?: number;
}

/**
 * Opens (or creates) `hqwatch.db` in `dataDir` and brings its schema up to date.
 *
 * WAL with `synchronous=FULL` (set explicitly: better-sqlite3 builds SQLite with WAL defaulting to
 * NORMAL, which can lose the last commits on power loss) makes a committed event survive a crash.
 * The exclusive locking mode keeps a second hqwatch off the same file for as long as this one runs;
 * the operating system drops the lock if the process dies.
 *
 * @throws StoreOpenError when the file is corrupt, locked, from a newer hqwatch, or cannot be opened.
 */
export function openDatabase(dataDir: string, opts: OpenDatabaseOptions = {}): Database {
  const file = path.join(dataDir, DB_FILE);
  let db: Database | null = null;
  try {
    mkdirSync(dataDir, { recursive: true });
    checkHeader(file);
    db = new Sqlite(file, { timeout: opts.busyTimeoutMs ?? 5_000 });
    db.pragma('locking_mode = EXCLUSIVE');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreOpenError(
        'newer-schema',
        `the history database ${file} has schema version ${version}, newer than this hqwatch knows (${SCHEMA_VERSION}). Upgrade hqwatch, or give it another --data directory.`,
      );
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new StoreOpenError('io', `the history database ${file} cannot use WAL mode (got ${String(mode)})`);
    db.pragma('synchronous = FULL');
    // A damaged page found now is a refusal to start; found later it would be a failing monitor.
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw corrupt(file, String(check));
    migrate(db);
    // The first write takes the exclusive lock and holds it until close.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return db;
  } catch (err) {
    db?.close();
    throw classify(err, file);
  }
}
