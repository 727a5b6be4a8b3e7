import { statSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';

/** The SQLite file a `file:` URL names, resolved the way the driver resolves it (from the cwd). */
export function sqliteFile(databaseUrl: string): string {
  return path.resolve(databaseUrl.slice('file:'.length).split('?', 1)[0] ?? '');
}

/** Which file a path names, or undefined when nothing is there: a copy put in its place is another file. */
function identityOf(file: string): string | undefined {
  // Numbers, not BigInts: inode and device numbers stay far below 2^53, and this runs per commit.
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? `${stats.dev}:${stats.ino}` : undefined;
}

/**
 * `in_place`: the path names the file the connection opened. `missing`:
 * nothing is there (deleted, or moved away and maybe coming back).
 * `replaced`: another file is there (a restored backup).
 */
export type SqliteFileState = 'in_place' | 'missing' | 'replaced';

/** SQLite's own code for a write refused because the database file moved (rollback-journal mode). */
export const DATABASE_MOVED_CODE = 'SQLITE_READONLY_DBMOVED';

/** A write refused because the open database file is no longer the one at its path. */
export class DatabaseFileMovedError extends Error {
  readonly code = DATABASE_MOVED_CODE;

  constructor(state: Exclude<SqliteFileState, 'in_place'>) {
    super(
      state === 'missing'
        ? 'the database file is no longer at its path; writes are refused until it is back'
        : 'the database file was replaced while Gatehouse had it open; writes are refused until a restart',
    );
    this.name = 'DatabaseFileMovedError';
  }
}

/**
 * better-sqlite3 keeps its file descriptor, so after the database file is
 * deleted (or a backup copied in its place) every write still succeeds —
 * into a file no path names, gone at the next restart. In WAL mode SQLite
 * does not notice by itself. Checked before a commit, this turns such
 * writes into errors the API answers 503, so nothing is acknowledged that
 * will be lost; the database check of `/readyz` reads the same state.
 */
export class SqliteFileGuard {
  private readonly logger = new Logger('Database');
  private readonly file: string;
  private readonly opened: string | undefined;
  private reported: SqliteFileState = 'in_place';

  /** Call right after the connection opened the file. */
  constructor(databaseUrl: string) {
    this.file = sqliteFile(databaseUrl);
    this.opened = identityOf(this.file);
  }

  state(): SqliteFileState {
    // Not recorded at open (an in-memory database): nothing to compare.
    if (this.opened === undefined) return 'in_place';
    const now = identityOf(this.file);
    const state = now === this.opened ? 'in_place' : now === undefined ? 'missing' : 'replaced';
    if (state !== this.reported) {
      this.reported = state;
      // The path stays out of the message: logs are shipped further than the host.
      if (state === 'in_place')
        this.logger.log('the database file is back in place; writes resume');
      else this.logger.error(new DatabaseFileMovedError(state).message);
    }
    return state;
  }

  /** Throws `DatabaseFileMovedError` unless the path still names the opened file. */
  assertInPlace(): void {
    const state = this.state();
    if (state !== 'in_place') throw new DatabaseFileMovedError(state);
  }
}
