import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from '../../src/generated/sqlite/client.js';
import { SerializedSqliteAdapterFactory } from '../../src/database/serialized-sqlite.adapter.js';
import { seedDemoData } from '../../src/database/seed/seed-demo.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Fixed server secrets for tests only (never used outside the test suite). */
export const TEST_SECRETS_ENV = {
  GATEHOUSE_PEPPER: Buffer.alloc(32, 7).toString('base64'),
  GATEHOUSE_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
};

/** Runs the real migrations against a new SQLite file with the Prisma CLI. */
export function migrateSqlite(file: string): void {
  execFileSync(
    process.execPath,
    [path.join(projectRoot, 'node_modules/prisma/build/index.js'), 'migrate', 'deploy'],
    {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: `file:${file}`, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: 'pipe',
    },
  );
}

/** Changes whenever a migration or the seed changes, so a stale template is never reused. */
function templateFingerprint(): string {
  const hash = createHash('sha256');
  const migrations = path.join(projectRoot, 'prisma/sqlite/migrations');
  for (const dir of readdirSync(migrations).sort()) {
    const sql = path.join(migrations, dir, 'migration.sql');
    if (existsSync(sql)) hash.update(dir).update(readFileSync(sql));
  }
  for (const f of ['src/database/seed/demo-data.ts', 'src/database/seed/seed-demo.ts']) {
    hash.update(readFileSync(path.join(projectRoot, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

let ready: Promise<string> | undefined;

/**
 * One migrated, seeded SQLite template per schema version, shared by every
 * test file (built once, then copied in milliseconds).
 */
export function templateDb(): Promise<string> {
  ready ??= (async () => {
    const dir = path.join(tmpdir(), `gatehouse-template-${templateFingerprint()}`);
    const file = path.join(dir, 'template.db');
    if (existsSync(file)) return file;
    mkdirSync(dir, { recursive: true });
    const work = mkdtempSync(path.join(dir, 'build-'));
    const staging = path.join(work, 'template.db');
    migrateSqlite(staging);
    const prisma = new PrismaClient({
      adapter: new SerializedSqliteAdapterFactory(`file:${staging}`, 10_000),
    });
    await seedDemoData(prisma);
    await prisma.$executeRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    await prisma.$disconnect();
    renameSync(staging, file);
    return file;
  })();
  return ready;
}

/** A private copy of the template for one test app. */
export async function copyTemplateDb(): Promise<{ dir: string; file: string }> {
  const template = await templateDb();
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-test-'));
  const file = path.join(dir, 'gatehouse.db');
  copyFileSync(template, file);
  return { dir, file };
}
