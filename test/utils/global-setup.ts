import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PrismaClient } from '../../src/generated/sqlite/client.js';
import { SerializedSqliteAdapterFactory } from '../../src/database/serialized-sqlite.adapter.js';
import { seedDemoData } from '../../src/database/seed/seed-demo.js';
import { migrateSqlite } from './template-db.js';

/**
 * Migrates and seeds one SQLite template per run; each test copies it, so
 * every suite gets a real, fully migrated database in a few milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-template-'));
  const file = path.join(dir, 'template.db');
  migrateSqlite(file);
  const prisma = new PrismaClient({ adapter: new SerializedSqliteAdapterFactory(`file:${file}`) });
  await seedDemoData(prisma);
  await prisma.$disconnect();
  process.env.GATEHOUSE_TEMPLATE_DB = file;
  process.env.GATEHOUSE_TEMPLATE_DIR = dir;
}
