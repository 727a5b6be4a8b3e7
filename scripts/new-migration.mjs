#!/usr/bin/env node
// Authors a SQLite migration from the change to prisma/models.prisma since the
// last commit. `prisma migrate dev` and `--from-migrations` need a shadow
// database, which the JS schema engine cannot create here (docs/storage.md),
// so the diff runs between two datamodels instead.
// Usage: node scripts/new-migration.mjs <name>   (then review and commit the SQL)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: node scripts/new-migration.mjs <snake_case_name>');
  process.exit(1);
}
const work = mkdtempSync(path.join(tmpdir(), 'gatehouse-migration-'));
const before = path.join(work, 'before');
mkdirSync(before);
copyFileSync('prisma/sqlite/schema.prisma', path.join(before, 'schema.prisma'));
writeFileSync(
  path.join(before, 'models.prisma'),
  execFileSync('git', ['show', 'HEAD:prisma/models.prisma'], { encoding: 'utf8' }),
);
const output = execFileSync(
  process.execPath,
  [
    'node_modules/prisma/build/index.js',
    'migrate',
    'diff',
    '--from-schema-datamodel',
    before,
    '--to-schema-datamodel',
    'prisma/sqlite',
    '--script',
  ],
  { encoding: 'utf8', env: { ...process.env, DATABASE_URL: `file:${path.join(work, 'x.db')}` } },
);
// The CLI prints a config banner on stdout before the script.
const sql = output.slice(output.indexOf('-- '));
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join('prisma/sqlite/migrations', `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), sql);
console.log(`wrote ${dir}/migration.sql`);
