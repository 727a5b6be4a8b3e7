import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The embedded store while another process holds its write lock: the CLI
 * purging the audit trail, or an operator's `sqlite3` shell with a
 * transaction open. The holder here is a second connection in the test's
 * own process, so a Gatehouse that waited inside SQLite (blocking the event
 * loop) would also stop the test from ever releasing the lock.
 */
describe('embedded store locked by another process', () => {
  let t: TestApp | undefined;
  let holder: Database.Database | undefined;

  afterEach(async () => {
    if (holder?.inTransaction) holder.exec('ROLLBACK');
    holder?.close();
    holder = undefined;
    await t?.close();
    t = undefined;
  });

  const lead = (email: string) => ({
    name: 'Trần Thị Bình',
    email,
    channel: 'web',
    consent: true,
  });

  const lock = (app: TestApp): Database.Database => {
    const db = new Database(app.dbFile, { timeout: 0 });
    db.exec('BEGIN IMMEDIATE');
    return db;
  };

  const auditedRequests = (app: TestApp, ids: string[]): string[] => {
    const db = new Database(app.dbFile, { readonly: true });
    try {
      return ids.filter((id) => db.prepare('SELECT 1 FROM AuditEvent WHERE requestId = ?').get(id));
    } finally {
      db.close();
    }
  };

  it('keeps answering while a write waits for the lock; the waiting requests complete once it is released', async () => {
    t = await startTestApp();
    const app = t;
    const token = await app.token(['inventory:read', 'leads:write']);
    holder = lock(app);

    const settled: string[] = [];
    const track = (name: string, request: PromiseLike<Response>): Promise<Response> =>
      Promise.resolve(request).finally(() => settled.push(name));
    const read = track(
      'check_inventory',
      app.http.get('/v1/inventory/DESK-OAK-140').auth(token, { type: 'bearer' }),
    );
    const write = track(
      'create_lead',
      app.http
        .post('/v1/leads')
        .auth(token, { type: 'bearer' })
        .set('idempotency-key', randomUUID())
        .send(lead('binh.lock@example.vn')),
    );

    // Liveness answers meanwhile; readiness says the database is not taking work
    // (its check waits behind the write for longer than its 2 s limit).
    for (let i = 0; i < 3; i++) expect((await app.http.get('/healthz')).status).toBe(200);
    // Probed until the waiting write holds the connection (a loaded machine may take a moment).
    let ready = await app.http.get('/readyz');
    for (let probe = 1; ready.status === 200 && probe < 5; probe++) {
      ready = await app.http.get('/readyz');
    }
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain('database');
    // The tool calls cannot finish: each must commit its audit event first.
    expect(settled).toEqual([]);
    expect(holder.inTransaction).toBe(true);

    holder.exec('COMMIT');
    const [readRes, writeRes] = await Promise.all([read, write]);
    expect((await app.http.get('/readyz')).status).toBe(200);
    expect(readRes.status).toBe(200);
    expect(writeRes.status).toBe(201);
    const ids = [readRes, writeRes].map((r) => r.headers['x-request-id']);
    expect(auditedRequests(app, ids)).toEqual(ids);
    await expect(app.prisma.lead.count({ where: { email: 'binh.lock@example.vn' } })).resolves.toBe(
      1,
    );
  });

  it('answers 503 with Retry-After past SQLITE_BUSY_TIMEOUT_MS, writes nothing, and the retry succeeds', async () => {
    t = await startTestApp({ env: { SQLITE_BUSY_TIMEOUT_MS: '200' } });
    const app = t;
    const token = await app.token(['inventory:read', 'leads:write']);
    const key = randomUUID();
    const create = () =>
      app.http
        .post('/v1/leads')
        .auth(token, { type: 'bearer' })
        .set('idempotency-key', key)
        .send(lead('binh.timeout@example.vn'));
    holder = lock(app);

    for (const res of [
      await create(),
      await app.http.get('/v1/inventory/DESK-OAK-140').auth(token, { type: 'bearer' }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ code: 'service_unavailable', retryable: true });
      expect(res.body.detail).toContain('database');
      expect(res.body.detail).not.toContain(app.dbFile);
    }
    expect((await app.http.get('/healthz')).status).toBe(200);

    holder.exec('COMMIT');
    await expect(
      app.prisma.lead.count({ where: { email: 'binh.timeout@example.vn' } }),
    ).resolves.toBe(0);
    const retried = await create();
    expect(retried.status).toBe(201);
    await expect(
      app.prisma.lead.count({ where: { email: 'binh.timeout@example.vn' } }),
    ).resolves.toBe(1);
  });
});
