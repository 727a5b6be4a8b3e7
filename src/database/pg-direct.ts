import pg from 'pg';

/** A named statement: PostgreSQL parses and plans it once per connection. */
export interface PgStatement {
  name: string;
  text: string;
}

const statements = new Map<string, PgStatement>();

/**
 * The named statement for this SQL, the same name for the same text in every
 * connection. `?` placeholders are numbered (`$1`, `$2`, …) once here, so a
 * statement can be written once and run on SQLite and PostgreSQL alike.
 */
export function pgStatement(sql: string): PgStatement {
  let statement = statements.get(sql);
  if (!statement) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    statement = { name: `gh_${statements.size + 1}`, text };
    statements.set(sql, statement);
  }
  return statement;
}

const TIMESTAMP_OID = 1114;

/**
 * Prisma keeps DateTime columns as TIMESTAMP(3) without time zone holding
 * UTC wall time; pg would read them in the process's local zone.
 */
const parseUtcTimestamp = (value: string): Date => new Date(`${value.replace(' ', 'T')}Z`);
const UTC_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === TIMESTAMP_OID
      ? parseUtcTimestamp
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Statements on one connection: a transaction's, or a single statement's on the pool. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** A time as written to TIMESTAMP(3) without time zone: its UTC wall time. */
function toPgValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function run<R extends pg.QueryResultRow>(
  target: Pick<pg.Pool | pg.PoolClient, 'query'>,
  sql: string,
  values: readonly unknown[],
): Promise<pg.QueryResult<R>> {
  const { name, text } = pgStatement(sql);
  return target.query<R>({ name, text, values: values.map(toPgValue), types: UTC_TYPES });
}

/** SQLSTATE 23505: a UNIQUE or PRIMARY KEY violation raised by PostgreSQL. */
export function isPgUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** Inserts one row; table and column names come from code, values are bound. */
export function pgInsertRow(
  tx: PgQueryable,
  table: string,
  row: Readonly<Record<string, unknown>>,
): Promise<void> {
  return pgInsertRows(tx, table, [row]);
}

/**
 * Inserts rows of the same shape in one statement, so one round trip: the
 * columns are the first row's.
 */
export async function pgInsertRows(
  tx: PgQueryable,
  table: string,
  rows: readonly Readonly<Record<string, unknown>>[],
): Promise<void> {
  const [first] = rows;
  if (!first) return;
  const columns = Object.keys(first);
  let n = 0;
  const tuples = rows.map(() => `(${columns.map(() => `$${++n}`).join(', ')})`);
  await tx.query(
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`,
    rows.flatMap((row) => columns.map((c) => row[c])),
  );
}

/**
 * Transactions and statements on Prisma's own pool without Prisma: a Prisma
 * 6.19 query compiles its plan in WebAssembly on every call (~0.4 ms, more for
 * a many-row insert; docs/benchmarks.md), where a named pg statement costs
 * tens of microseconds. For hot paths only; everything else stays on Prisma.
 */
export class PgDirect implements PgQueryable {
  /**
   * @param statementTimeoutMs bounds each statement of a direct transaction,
   *   waits for the audit chain head's lock included, as Prisma's transaction
   *   timeout did: a stuck transaction fails instead of holding a request.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly statementTimeoutMs = 20_000,
  ) {}

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values: readonly unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return run<R>(this.pool, sql, values);
  }

  async transaction<T>(work: (tx: PgQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: PgQueryable = {
      query: <R extends pg.QueryResultRow>(sql: string, values: readonly unknown[] = []) =>
        run<R>(client, sql, values),
    };
    let broken: Error | undefined;
    // A connection lost while checked out emits 'error' on the client; unheard, it would end the process.
    const lost = (error: Error): void => {
      broken = error;
    };
    client.on('error', lost);
    try {
      // One round trip: SET LOCAL ends with the transaction, so the pooled session keeps its default.
      await client.query(
        `BEGIN; SET LOCAL statement_timeout = ${Math.trunc(this.statementTimeoutMs)}`,
      );
      try {
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackFailed) {
          // The connection is unusable: it leaves the pool instead of going back to it.
          broken =
            rollbackFailed instanceof Error ? rollbackFailed : new Error(String(rollbackFailed));
        }
        throw error;
      }
    } finally {
      client.removeListener('error', lost);
      client.release(broken);
    }
  }
}
