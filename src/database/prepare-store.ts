import type { PrismaClient } from '../generated/sqlite/client.js';
import type { AppConfig } from '../config/app-config.js';
import { applyMigrations } from './migrations.js';
import { prepareSqlite } from './prisma.service.js';

async function appliedMigrations(prisma: PrismaClient): Promise<Set<string>> {
  try {
    const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    return new Set(rows.map((r) => r.migration_name));
  } catch {
    return new Set();
  }
}

/** Brings the store to the current schema. Safe to run on every start. */
export async function prepareStore(
  prisma: PrismaClient,
  config: AppConfig,
  log: (message: string) => void,
): Promise<void> {
  if (config.database === 'sqlite') await prepareSqlite(prisma);
  const applied = await applyMigrations(config, await appliedMigrations(prisma));
  if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
}
