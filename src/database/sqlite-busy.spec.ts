import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { copyTemplateDb } from '../../test/utils/template-db.js';
import { loadConfig } from '../config/app-config.js';
import { createPrismaClient, sqliteDirectOf, type PrismaService } from './prisma.service.js';
import { isSqliteBusy, whileBusy } from './sqlite-busy.js';
import { prepared } from './sqlite-sql.js';
import { isStoreUnavailable } from './store-unavailable.js';

const INSERT = `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, ?, '2026-11-30 00:00:00.000+00:00')`;

async function failure(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/**
 * Another process holding the embedded store's write lock (the CLI, an
 * operator's sqlite3 shell), played by a second connection in this process:
 * if Gatehouse waited for the lock inside SQLite, this process's event loop
 * would stop and the holder's timer could never release it.
 */
describe('the embedded store while another connection holds the write lock', () => {
  let dir: string;
  let file: string;
  let holder: Database.Database;
  let prisma: PrismaService | undefined;

  const open = async (busyTimeoutMs: number): Promise<PrismaService> => {
    const config = loadConfig({
      DATABASE_URL: `file:${file}`,
      SQLITE_BUSY_TIMEOUT_MS: String(busyTimeoutMs),
    });
    prisma = createPrismaClient(config);
    await prisma.$queryRawUnsafe('SELECT 1'); // opens the connection
    return prisma;
  };

  /** The four ways Gatehouse writes on the embedded store, each inserting one setting. */
  const writes = (client: PrismaService): Record<string, () => Promise<unknown>> => {
    const direct = sqliteDirectOf(client)!;
    return {
      groupCommit: () =>
        direct.transactionSync((db) => prepared(db, INSERT).run('busy-group', 'v'))!,
      exclusive: () => direct.exclusive((db) => prepared(db, INSERT).run('busy-exclusive', 'v'))!,
      prismaTransaction: () =>
        client.$transaction(
          (tx) => tx.setting.create({ data: { key: 'busy-prisma-tx', value: 'v' } }),
          { maxWait: 5_000 },
        ),
      prismaQuery: () => client.setting.create({ data: { key: 'busy-prisma', value: 'v' } }),
    };
  };
  const ALL_KEYS = ['busy-exclusive', 'busy-group', 'busy-prisma', 'busy-prisma-tx'];

  const storedKeys = (): string[] =>
    (
      holder
        .prepare(`SELECT "key" FROM "Setting" WHERE "key" LIKE 'busy-%' ORDER BY "key"`)
        .all() as {
        key: string;
      }[]
    ).map((r) => r.key);

  beforeEach(async () => {
    ({ dir, file } = await copyTemplateDb());
    holder = new Database(file, { timeout: 0 });
  });

  afterEach(async () => {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
    await prisma?.$disconnect();
    prisma = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the lock between turns of the event loop, then writes', async () => {
    const client = await open(10_000);
    // One at a time, so each kind of write is the one that meets the lock.
    for (const [name, write] of Object.entries(writes(client))) {
      holder.exec('BEGIN IMMEDIATE');
      let settled = false;
      const pending = write().finally(() => (settled = true));
      // Timers keep firing while the write waits: the event loop is not blocked.
      for (let tick = 0; tick < 5; tick++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect([name, settled]).toEqual([name, false]);
      holder.exec('COMMIT');
      await pending;
    }
    expect(storedKeys()).toEqual(ALL_KEYS);
  });

  it('gives up after SQLITE_BUSY_TIMEOUT_MS with an error that answers 503, and works once the lock is gone', async () => {
    const client = await open(150);
    holder.exec('BEGIN IMMEDIATE');
    for (const [name, write] of Object.entries(writes(client))) {
      const error = await failure(write());
      expect([name, isStoreUnavailable(error)]).toEqual([name, true]);
    }
    expect(storedKeys()).toEqual([]);

    holder.exec('COMMIT');
    for (const write of Object.values(writes(client))) await write();
    expect(storedKeys()).toEqual(ALL_KEYS);
  });

  it('fails a long-locked group of writes once, counting the wait from when each was asked for', async () => {
    const client = await open(200);
    const direct = sqliteDirectOf(client)!;
    holder.exec('BEGIN IMMEDIATE');
    // Eight writes in one turn form one group, which waits for the lock once.
    const writes = Array.from({ length: 8 }, (_, i) =>
      direct.transactionSync((db) => prepared(db, INSERT).run(`busy-${i}`, 'v'))!,
    );
    const results = await Promise.allSettled(writes);
    const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : r.status));
    expect(reasons.every(isStoreUnavailable)).toBe(true);
    // One error object for all: the group's single failed wait, not a wait per member.
    expect(new Set(reasons).size).toBe(1);
    expect(storedKeys()).toEqual([]);
  });

  it('a Prisma transaction that cannot start within its maxWait also answers 503', async () => {
    const client = await open(10_000);
    holder.exec('BEGIN IMMEDIATE');
    const pending = client.$transaction((tx) => tx.setting.findMany(), { maxWait: 100 });
    setTimeout(() => holder.exec('COMMIT'), 300);
    const error = await failure(pending);
    expect((error as { code?: string }).code).toBe('P2028');
    expect(isStoreUnavailable(error)).toBe(true);
    // The transaction that started too late was rolled back and the connection released.
    // One setting: the seed's demo.seeded marker.
    await expect(client.setting.count()).resolves.toBe(1);
    holder.exec('BEGIN IMMEDIATE'); // throws SQLITE_BUSY (timeout 0) if Gatehouse still held the write lock
    holder.exec('ROLLBACK');
  });
});

describe('Prisma transactions on the serialized connection', () => {
  let dir: string;
  let file: string;
  let prisma: PrismaService;

  beforeEach(async () => {
    ({ dir, file } = await copyTemplateDb());
    prisma = createPrismaClient(loadConfig({ DATABASE_URL: `file:${file}` }));
    await prisma.$queryRawUnsafe('SELECT 1');
  });
  afterEach(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  /** True when another connection can take the write lock now (so Gatehouse holds no transaction). */
  const writeLockFree = (): boolean => {
    const other = new Database(file, { timeout: 0 });
    try {
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
      return true;
    } catch {
      return false;
    } finally {
      other.close();
    }
  };

  it('hands the connection on when the COMMIT fails, rolling the transaction back', async () => {
    // A foreign key checked only at COMMIT makes the COMMIT itself fail.
    const failing = prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('PRAGMA defer_foreign_keys = ON');
      await tx.$executeRawUnsafe(
        `INSERT INTO "ClientSecret" ("id", "clientId", "hash") VALUES ('sec_orphan', 'cl_missing', 'x')`,
      );
    });
    await expect(failing).rejects.toThrow(/ForeignKey/);
    await expect(prisma.clientSecret.count({ where: { id: 'sec_orphan' } })).resolves.toBe(0);
    expect(writeLockFree()).toBe(true);
  });

  it('hands the connection on when SQLite already ended the transaction before the ROLLBACK', async () => {
    const failing = prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('ROLLBACK'); // as SQLite does by itself after an I/O error
      throw new Error('the work failed');
    });
    await expect(failing).rejects.toThrow('the work failed');
    await expect(prisma.setting.count()).resolves.toBe(1); // the seed's demo.seeded marker
    expect(writeLockFree()).toBe(true);
  });
});

describe('whileBusy', () => {
  it('retries only SQLITE_BUSY, and stops at its deadline', async () => {
    let attempts = 0;
    const notBusy = Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await expect(
      whileBusy(() => {
        attempts += 1;
        throw notBusy;
      }, 1_000),
    ).rejects.toBe(notBusy);
    expect(attempts).toBe(1);

    attempts = 0;
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    await expect(
      whileBusy(() => {
        attempts += 1;
        if (attempts < 3) throw busy;
        return 'done';
      }, 1_000),
    ).resolves.toBe('done');
    expect(attempts).toBe(3);

    attempts = 0;
    const started = performance.now();
    await expect(
      whileBusy(() => {
        attempts += 1;
        throw busy;
      }, 50),
    ).rejects.toBe(busy);
    // A lower bound whileBusy itself enforces (it gives up only at its deadline), so it cannot flake.
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(attempts).toBeGreaterThan(1);
  });

  it('tells a busy lock (also wrapped by Prisma’s adapter) from a stale snapshot', () => {
    expect(isSqliteBusy({ code: 'SQLITE_BUSY' })).toBe(true);
    expect(isSqliteBusy({ code: 'SQLITE_BUSY_TIMEOUT' })).toBe(true);
    expect(
      isSqliteBusy({ name: 'DriverAdapterError', cause: { originalCode: 'SQLITE_BUSY' } }),
    ).toBe(true);
    expect(isSqliteBusy({ code: 'SQLITE_BUSY_SNAPSHOT' })).toBe(false);
    expect(isSqliteBusy({ code: 'SQLITE_READONLY' })).toBe(false);
    expect(isSqliteBusy(null)).toBe(false);
  });
});
