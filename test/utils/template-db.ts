import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** A fresh copy of the migrated, seeded template database prepared by global-setup. */
export function copyTemplateDb(): { dir: string; file: string } {
  const template = process.env.GATEHOUSE_TEMPLATE_DB;
  if (!template)
    throw new Error('GATEHOUSE_TEMPLATE_DB is not set: run through jest (global-setup)');
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-test-'));
  const file = path.join(dir, 'gatehouse.db');
  copyFileSync(template, file);
  return { dir, file };
}
