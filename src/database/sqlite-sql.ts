import type { Database, Statement } from 'better-sqlite3';

/**
 * Helpers for the embedded store's hot paths, which run prepared
 * better-sqlite3 statements instead of Prisma queries (docs/benchmarks.md:
 * a Prisma 6.19 query compiles its plan on every call, ~0.4 ms, where a
 * prepared statement runs in microseconds). Values are written in the forms
 * Prisma's SQLite adapter writes, so Prisma reads and compares them alike.
 */

const statements = new WeakMap<Database, Map<string, Statement>>();

/** The statement for this SQL on this connection, prepared on first use; integers read as numbers. */
export function prepared(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    // Prisma's adapter turns safe integers on for the whole connection (BigInt
    // results); every integer column here is small, so rows read as numbers.
    if (statement.reader) statement.safeIntegers(false);
    cache.set(sql, statement);
  }
  return statement;
}

/** A DateTime as Prisma's SQLite adapter stores it: ISO 8601 text with `+00:00`. */
export function toSqliteTime(time: Date): string {
  return time.toISOString().replace('Z', '+00:00');
}

export function fromSqliteTime(value: string): Date {
  return new Date(value);
}

export function fromSqliteTimeOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

/** SQLite has no boolean type: Prisma stores 1 and 0. */
export function toSqliteBool(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** True for a UNIQUE or PRIMARY KEY violation raised by better-sqlite3. */
export function isSqliteUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Inserts one row; table and column names come from code, values are bound. */
export function insertRow(
  db: Database,
  table: string,
  row: Readonly<Record<string, unknown>>,
): void {
  const columns = Object.keys(row);
  const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  prepared(db, sql).run(...columns.map((c) => toSqliteValue(row[c])));
}

function toSqliteValue(value: unknown): unknown {
  if (value instanceof Date) return toSqliteTime(value);
  if (typeof value === 'boolean') return toSqliteBool(value);
  return value;
}
