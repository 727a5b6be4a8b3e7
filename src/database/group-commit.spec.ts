import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { copyTemplateDb } from '../../test/utils/template-db.js';
import { loadConfig } from '../config/app-config.js';
import { createPrismaClient, sqliteDirectOf, type SqliteDirect } from './prisma.service.js';
import type { PrismaService } from './prisma.service.js';
import { prepared } from './sqlite-sql.js';

const INSERT = `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, ?, '2026-11-30 00:00:00.000+00:00')`;

describe('direct SQLite transactions (group commit)', () => {
  let dir: string;
  let file: string;
  let prisma: PrismaService;
  let direct: SqliteDirect;

  /** A direct transaction that inserts one setting, then optionally fails. */
  const write = (key: string, fail = false) =>
    direct.transaction(async () => {
      direct.joinTransaction((db) => prepared(db, INSERT).run(key, 'v'));
      await Promise.resolve();
      if (fail) throw new Error(`${key} failed`);
      return key;
    })!;

  /** What another connection sees: only committed rows. */
  const committedKeys = (): string[] => {
    const other = new Database(file, { readonly: true });
    try {
      return (
        other
          .prepare(`SELECT "key" FROM "Setting" WHERE "key" LIKE 'gc-%' ORDER BY "key"`)
          .all() as {
          key: string;
        }[]
      ).map((r) => r.key);
    } finally {
      other.close();
    }
  };

  beforeEach(async () => {
    ({ dir, file } = await copyTemplateDb());
    prisma = createPrismaClient(loadConfig({ DATABASE_URL: `file:${file}` }));
    await prisma.$queryRawUnsafe('SELECT 1'); // opens the connection
    direct = sqliteDirectOf(prisma)!;
  });

  afterEach(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits transactions started in the same turn together, and each only once durable', async () => {
    const before = direct.groupStats;
    const keys = Array.from({ length: 20 }, (_, i) => `gc-${String(i).padStart(2, '0')}`);
    const pending = keys.map((key) => write(key));
    // Nothing is visible to another connection before the shared COMMIT.
    expect(committedKeys()).toEqual([]);
    await expect(Promise.all(pending)).resolves.toEqual(keys);
    expect(committedKeys()).toEqual(keys);
    const after = direct.groupStats;
    expect(after.transactions - before.transactions).toBe(20);
    expect(after.groups - before.groups).toBe(1);
  });

  it('rolls a failing transaction back alone; the others in its group commit', async () => {
    const results = await Promise.allSettled([write('gc-a'), write('gc-b', true), write('gc-c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('gc-b failed'));
    expect(committedKeys()).toEqual(['gc-a', 'gc-c']);
  });

  it('keeps a failed unique insert from spoiling the group', async () => {
    const results = await Promise.allSettled([write('gc-x'), write('gc-x'), write('gc-y')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(committedKeys()).toEqual(['gc-x', 'gc-y']);
  });

  it('runs transactions started later in a later group', async () => {
    const before = direct.groupStats.groups;
    await write('gc-1');
    await write('gc-2');
    expect(direct.groupStats.groups - before).toBe(2);
    expect(committedKeys()).toEqual(['gc-1', 'gc-2']);
  });
});
