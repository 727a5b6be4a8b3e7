import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AppConfig } from '../config/app-config.js';

const run = promisify(execFile);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function migrationsDir(config: Pick<AppConfig, 'database'>): string {
  return path.join(
    projectRoot,
    'prisma',
    config.database === 'sqlite' ? 'sqlite' : 'postgres',
    'migrations',
  );
}

export function listMigrations(config: Pick<AppConfig, 'database'>): string[] {
  return readdirSync(migrationsDir(config), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * Applies pending migrations with the Prisma CLI (`migrate deploy`, JS engine).
 * `appliedNames` lets the caller skip the CLI when nothing is pending.
 */
export async function applyMigrations(
  config: AppConfig,
  appliedNames: Set<string>,
): Promise<string[]> {
  const pending = listMigrations(config).filter((m) => !appliedNames.has(m));
  if (pending.length === 0) return [];
  if (config.database === 'sqlite') mkdirSync(config.dataDir, { recursive: true });
  const cli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
  try {
    await run(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: config.databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string };
    throw new Error(`prisma migrate deploy failed:\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  }
  return pending;
}
