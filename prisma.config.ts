import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// The Prisma CLI runs its migration engine as WebAssembly through a driver
// adapter (engine "js"): the native schema-engine binary cannot be downloaded
// on our machines. See docs/storage.md.
const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/gatehouse.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'sqlite'),
  migrations: { path: path.join('prisma', 'sqlite', 'migrations') },
  adapter: async () => new PrismaBetterSQLite3({ url: databaseUrl, timeout: 10_000 }),
});
