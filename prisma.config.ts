import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PgAdapterFactory } from './src/database/pg-pool.js';

// The Prisma CLI runs its migration engine as WebAssembly through a driver
// adapter (engine "js"): the native schema-engine binary cannot be downloaded
// on our machines. DATABASE_URL picks the store, its schema folder and its
// migrations (see docs/storage.md).
const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/gatehouse.db';
const postgres = /^postgres(ql)?:\/\//.test(databaseUrl);
const folder = postgres ? 'postgres' : 'sqlite';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', folder),
  migrations: { path: path.join('prisma', folder, 'migrations') },
  adapter: () =>
    Promise.resolve(
      postgres
        ? new PgAdapterFactory(databaseUrl, 2)
        : new PrismaBetterSQLite3({ url: databaseUrl, timeout: 10_000 }),
    ),
});
