import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Prisma } from '../generated/sqlite/client.js';
import { isStoreUnavailable } from './store-unavailable.js';

async function failure(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

describe('isStoreUnavailable', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('recognises SQLite locked beyond the busy timeout and a file that cannot be opened', async () => {
    const file = path.join(dir, 'locked.db');
    const holder = new Database(file);
    const waiter = new Database(file, { timeout: 0 });
    holder.exec('CREATE TABLE t (x)');
    holder.exec('BEGIN IMMEDIATE');
    try {
      const busy = await failure(() => waiter.exec('BEGIN IMMEDIATE'));
      expect((busy as { code: string }).code).toBe('SQLITE_BUSY');
      expect(isStoreUnavailable(busy)).toBe(true);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      waiter.close();
    }
    // A path SQLite cannot open as a database file (here a directory).
    const unopenable = await failure(() => new Database(dir));
    expect((unopenable as { code: string }).code).toBe('SQLITE_CANTOPEN');
    expect(isStoreUnavailable(unopenable)).toBe(true);
  });

  it('recognises a refused PostgreSQL connection, also wrapped, and a pool that cannot connect in time', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const refused = await failure(() =>
      new pg.Client({ host: '127.0.0.1', port, user: 'x', database: 'x' }).connect(),
    );
    expect((refused as { code: string }).code).toBe('ECONNREFUSED');
    expect(isStoreUnavailable(refused)).toBe(true);
    expect(isStoreUnavailable(new Error('write failed', { cause: refused }))).toBe(true);

    // Accepts TCP and never answers: the pool gives up after its connection timeout.
    const silent = createServer(() => undefined);
    const silentPort = await listen(silent);
    const pool = new pg.Pool({
      host: '127.0.0.1',
      port: silentPort,
      user: 'x',
      database: 'x',
      connectionTimeoutMillis: 50,
    });
    try {
      const timedOut = await failure(() => pool.query('SELECT 1'));
      expect(isStoreUnavailable(timedOut)).toBe(true);
    } finally {
      await pool.end().catch(() => undefined);
      silent.close();
    }
  });

  it("recognises Prisma's codes for an unreachable server and an exhausted pool, and no others", () => {
    const known = (code: string) =>
      new Prisma.PrismaClientKnownRequestError('x', { code, clientVersion: '6.19.3' });
    expect(isStoreUnavailable(known('P1001'))).toBe(true);
    expect(isStoreUnavailable(known('P2024'))).toBe(true);
    expect(isStoreUnavailable(known('P2002'))).toBe(false);
  });

  it('leaves errors about the request or the code alone', async () => {
    const db = new Database(path.join(dir, 'unique.db'));
    db.exec('CREATE TABLE t (x UNIQUE); INSERT INTO t VALUES (1)');
    const unique = await failure(() => db.exec('INSERT INTO t VALUES (1)'));
    db.close();
    expect(isStoreUnavailable(unique)).toBe(false);
    expect(isStoreUnavailable({ code: '23505' })).toBe(false);
    expect(isStoreUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isStoreUnavailable(null)).toBe(false);
  });
});
