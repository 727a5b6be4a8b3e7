import { randomUUID } from 'node:crypto';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The embedded store's file deleted, moved away or replaced while Gatehouse
 * runs. The open connection would go on writing into a file no path names
 * (lost at the next restart), so nothing may be answered as done meanwhile.
 */
describe('embedded store file removed under the running process', () => {
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const files = (app: TestApp): string[] => [app.dbFile, `${app.dbFile}-wal`, `${app.dbFile}-shm`];

  const calls = async (app: TestApp, token: string, email: string): Promise<Response[]> => [
    await app.http
      .post('/v1/leads')
      .auth(token, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ name: 'Lê Văn Cường', email, channel: 'web', consent: true }),
    await app.http.get('/v1/inventory/DESK-OAK-140').auth(token, { type: 'bearer' }),
  ];

  const expectRefused = (res: Response, app: TestApp): void => {
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ code: 'service_unavailable', retryable: true });
    expect(res.body.detail).toContain('database');
    expect(JSON.stringify(res.body)).not.toContain(app.dbFile);
  };

  /** Leads stored under `email`, read through a new connection as the CLI or a restart would. */
  const storedLeads = (app: TestApp, email: string): number => {
    const db = new Database(app.dbFile, { readonly: true });
    try {
      return (
        db.prepare('SELECT count(*) AS n FROM Lead WHERE email = ?').get(email) as { n: number }
      ).n;
    } finally {
      db.close();
    }
  };

  it('refuses every audited call with 503 once the file is deleted, instead of acknowledging lost writes', async () => {
    t = await startTestApp();
    const app = t;
    const token = await app.token(['inventory:read', 'leads:write']);
    const client = await app.client(['inventory:read']);
    const [before] = await calls(app, token, 'cuong.before@example.vn');
    expect(before?.status).toBe(201);

    for (const file of files(app)) rmSync(file, { force: true });
    for (const res of await calls(app, token, 'cuong.deleted@example.vn')) expectRefused(res, app);
    expect((await app.http.get('/readyz')).status).toBe(503);
    expect((await app.http.get('/healthz')).status).toBe(200);
    // A token request is audited too: no token is handed out that the store will not remember.
    const tokenRequest = await app.http.post('/oauth/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    expectRefused(tokenRequest, app);
    expect(tokenRequest.text).not.toContain('access_token');
  });

  it('refuses writes while the file is moved away and takes them again once it is back', async () => {
    t = await startTestApp();
    const app = t;
    const token = await app.token(['inventory:read', 'leads:write']);
    const away = `${app.dbFile}.away`;
    renameSync(app.dbFile, away);
    try {
      for (const res of await calls(app, token, 'cuong.away@example.vn')) expectRefused(res, app);
    } finally {
      renameSync(away, app.dbFile);
    }

    const [lead, read] = await calls(app, token, 'cuong.back@example.vn');
    expect(lead?.status).toBe(201);
    expect(read?.status).toBe(200);
    expect((await app.http.get('/readyz')).status).toBe(200);
    expect(storedLeads(app, 'cuong.back@example.vn')).toBe(1);
    expect(storedLeads(app, 'cuong.away@example.vn')).toBe(0);
  });

  it('refuses writes after a backup is copied over the live file, until a restart', async () => {
    t = await startTestApp();
    const app = t;
    const token = await app.token(['inventory:read', 'leads:write']);
    const backup = `${app.dbFile}.backup`;
    copyFileSync(app.dbFile, backup);
    for (const file of files(app)) rmSync(file, { force: true });
    copyFileSync(backup, app.dbFile);

    for (let round = 0; round < 2; round++) {
      for (const res of await calls(app, token, 'cuong.replaced@example.vn')) {
        expectRefused(res, app);
      }
    }
    expect(storedLeads(app, 'cuong.replaced@example.vn')).toBe(0);
  });
});
