import Database from 'better-sqlite3';
import pg from 'pg';
import { ConfigError, type AppConfig } from '../config/app-config.js';
import { applyMigrations } from './migrations.js';
import { sqliteFile } from './sqlite-file.js';

/** SQLSTATE of "database … does not exist": the one cause with a fix worth naming. */
const NO_SUCH_DATABASE = '3D000';

/**
 * Why the database named by DATABASE_URL cannot be opened, in one line for
 * the operator (the URL itself is left out: it carries the password).
 */
function unreachable(error: unknown): ConfigError {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const hint =
    code === NO_SUCH_DATABASE ? 'create it first (createdb -O <role> <name>)' : undefined;
  const reason = typeof message === 'string' && message !== '' ? message : String(error);
  return new ConfigError(
    `Cannot open the PostgreSQL database named by DATABASE_URL: ${reason}${hint ? ` — ${hint}` : ''}`,
    { cause: error },
  );
}

/**
 * Brings the store to the current schema before any long-lived connection is
 * opened (the migration CLI needs the write lock). Safe to run on every start.
 */
export async function prepareStore(
  config: AppConfig,
  log: (message: string) => void,
): Promise<void> {
  const applied = new Set<string>();
  if (config.database === 'sqlite') {
    const db = new Database(sqliteFile(config.databaseUrl), { timeout: 10_000 });
    try {
      // WAL is a property of the file: set once, readers then never block the writer.
      db.pragma('journal_mode = WAL');
      const table = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
        )
        .get();
      if (table) {
        const rows = db
          .prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL')
          .all() as { migration_name: string }[];
        for (const r of rows) applied.add(r.migration_name);
      }
    } finally {
      db.close();
    }
  }
  if (config.database === 'postgresql') {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect().catch((error: unknown) => {
      throw unreachable(error);
    });
    try {
      const table = await client.query<{ exists: string | null }>(
        "SELECT to_regclass('_prisma_migrations')::text AS exists",
      );
      if (table.rows[0]?.exists) {
        const rows = await client.query<{ migration_name: string }>(
          'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
        );
        for (const r of rows.rows) applied.add(r.migration_name);
      }
    } finally {
      await client.end();
    }
  }
  const done = await applyMigrations(config, applied);
  if (done.length > 0) log(`applied migrations: ${done.join(', ')}`);
}
