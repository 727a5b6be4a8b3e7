import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { CapturingLogger, startTestApp, TestClock, type TestApp } from '../utils/test-app.js';
import { SigningKeysService } from '../../src/auth/signing-keys.service.js';
import type { CreatedClient } from '../../src/clients/clients.service.js';

const READ = '/v1/inventory?q=ban';

describe('credential lifecycle (SPEC §3)', () => {
  let t: TestApp;
  // Starts at the real time and only moves forward: the CLI, a separate process, stamps
  // expiries with the real clock, which must never be ahead of the server's.
  const clock = new TestClock();
  const logger = new CapturingLogger();
  /** Every secret the suite created, searched for in logs, responses and the database at the end. */
  const secrets: string[] = [];
  /** Every response body except the one-time answers that are meant to carry a secret. */
  const responses: string[] = [];
  let adminClient: CreatedClient;
  /** A fresh admin token each time: the suite moves the clock past token lifetimes. */
  const adm = async () => bearer(await t.tokenFor(adminClient));

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = async (path: string, headers: Record<string, string>) => {
    const res = await t.http.get(path).set(headers);
    responses.push(res.text);
    return res;
  };
  const tokenStatus = async (client: { clientId: string; clientSecret: string }) => {
    const res = await t.http
      .post('/oauth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    responses.push(res.status === 200 ? '' : res.text);
    return res;
  };
  const remember = <T extends object>(value: T): T => {
    for (const v of Object.values(value)) {
      if (typeof v === 'string' && /^(ghs_|gh_)/.test(v)) secrets.push(v);
    }
    return value;
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, logger, env: { CLIENT_CACHE_TTL_MS: '0' } });
    adminClient = remember(await t.client(['clients:admin']));
  });

  afterAll(async () => {
    await t.close();
  });

  describe('API keys', () => {
    let client: CreatedClient;
    let key: { keyId: string; apiKey: string };
    /** The server's time before the key existed: any use of it is stamped later. */
    let startedAt: number;

    beforeAll(async () => {
      startedAt = clock.now().getTime();
      client = remember(await t.client(['inventory:read', 'orders:read']));
      const res = await t.http
        .post(`/v1/admin/clients/${client.clientId}/keys`)
        .set(await adm())
        .send({ name: 'zalo-bot', scopes: ['inventory:read'] });
      expect(res.status).toBe(201);
      key = remember(res.body);
      expect(key.apiKey).toMatch(/^gh_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    });

    it('work as Authorization: Bearer and as X-API-Key', async () => {
      expect((await get(READ, bearer(key.apiKey))).status).toBe(200);
      expect((await get(READ, { 'x-api-key': key.apiKey })).status).toBe(200);
    });

    it('hold only their own scopes', async () => {
      const res = await get('/v1/orders/SO-2026-000123', { 'x-api-key': key.apiKey });
      expect(res.status).toBe(403);
    });

    it('cannot hold a scope the client lacks', async () => {
      const res = await t.http
        .post(`/v1/admin/clients/${client.clientId}/keys`)
        .set(await adm())
        .send({ scopes: ['leads:write'] });
      responses.push(res.text);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('are listed with prefix, dates and last use, never the secret', async () => {
      const res = await get(`/v1/admin/clients/${client.clientId}`, await adm());
      expect(res.status).toBe(200);
      const listed = res.body.apiKeys.find((k: { keyId: string }) => k.keyId === key.keyId);
      expect(listed).toMatchObject({
        prefix: `gh_${key.keyId}_`,
        name: 'zalo-bot',
        scopes: ['inventory:read'],
      });
      expect(listed.lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(listed.lastUsedAt as string)).toBeGreaterThanOrEqual(startedAt);
      expect(Date.parse(listed.lastUsedAt as string)).toBeLessThanOrEqual(clock.now().getTime());
      expect(res.text).not.toContain(key.apiKey.slice(`gh_${key.keyId}_`.length));
    });

    it('rotate with a grace period, then the old key fails', async () => {
      const res = await t.http
        .post(`/v1/admin/keys/${key.keyId}/rotate`)
        .set(await adm())
        .send({ graceSeconds: 600 });
      expect(res.status).toBe(201);
      const fresh = remember(res.body as { apiKey: string; keyId: string });
      expect((await get(READ, { 'x-api-key': key.apiKey })).status).toBe(200);
      expect((await get(READ, { 'x-api-key': fresh.apiKey })).status).toBe(200);
      clock.advance(601);
      expect((await get(READ, { 'x-api-key': key.apiKey })).status).toBe(401);
      expect((await get(READ, { 'x-api-key': fresh.apiKey })).status).toBe(200);
      key = fresh;
    });

    it('are revoked at once', async () => {
      const res = await t.http.post(`/v1/admin/keys/${key.keyId}/revoke`).set(await adm());
      expect(res.status).toBe(200);
      expect((await get(READ, { 'x-api-key': key.apiKey })).status).toBe(401);
      // The security event says who acted and joins the admin request's own audit event.
      const event = await t.prisma.auditEvent.findFirstOrThrow({
        where: {
          kind: 'security',
          credentialId: key.keyId,
          request: { contains: 'api_key.revoked' },
        },
      });
      expect(JSON.parse(event.request)).toEqual({
        event: 'api_key.revoked',
        actor: adminClient.clientId,
      });
      expect(event.requestId).toBe(res.headers['x-request-id']);
    });

    it('cannot be created already expired; a scope given twice is held once', async () => {
      const expired = await t.http
        .post(`/v1/admin/clients/${client.clientId}/keys`)
        .set(await adm())
        .send({ expiresAt: new Date(clock.now().getTime() - 1000).toISOString() });
      expect(expired.status).toBe(400);
      expect(expired.body.errors).toEqual([
        { field: 'expiresAt', message: 'must be in the future' },
      ]);
      const twice = await t.http
        .post(`/v1/admin/clients/${client.clientId}/keys`)
        .set(await adm())
        .send({ scopes: ['inventory:read', 'inventory:read'] });
      expect(twice.status).toBe(201);
      remember(twice.body);
      expect(twice.body.scopes).toEqual(['inventory:read']);
    });

    it('with expiry stop working after it', async () => {
      const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
      const res = await t.http
        .post(`/v1/admin/clients/${client.clientId}/keys`)
        .set(await adm())
        .send({ expiresAt });
      const short = remember(res.body as { apiKey: string });
      expect((await get(READ, { 'x-api-key': short.apiKey })).status).toBe(200);
      clock.advance(61);
      expect((await get(READ, { 'x-api-key': short.apiKey })).status).toBe(401);
    });
  });

  describe('client secret rotation timeline', () => {
    it('keeps the old secret for the grace period (default 24 h), then refuses it', async () => {
      const client = remember(await t.client(['inventory:read']));
      const res = await t.http
        .post(`/v1/admin/clients/${client.clientId}/secrets/rotate`)
        .set(await adm())
        .send({});
      expect(res.status).toBe(201);
      const rotated = remember(
        res.body as { clientSecret: string; previousSecretsExpireAt: string },
      );
      expect(Date.parse(rotated.previousSecretsExpireAt) - clock.now().getTime()).toBe(
        24 * 3600 * 1000,
      );
      const next = { clientId: client.clientId, clientSecret: rotated.clientSecret };
      expect((await tokenStatus(client)).status).toBe(200);
      expect((await tokenStatus(next)).status).toBe(200);
      clock.advance(24 * 3600 - 10);
      expect((await tokenStatus(client)).status).toBe(200);
      clock.advance(11);
      expect((await tokenStatus(client)).status).toBe(401);
      expect((await tokenStatus(next)).status).toBe(200);
    });

    it('with grace 0 ends the old secret at once, including its live tokens', async () => {
      const client = remember(await t.client(['inventory:read']));
      const oldToken = await t.tokenFor(client);
      expect((await get(READ, bearer(oldToken))).status).toBe(200);
      const res = await t.http
        .post(`/v1/admin/clients/${client.clientId}/secrets/rotate`)
        .set(await adm())
        .send({ graceSeconds: 0 });
      remember(res.body);
      expect((await tokenStatus(client)).status).toBe(401);
      expect((await get(READ, bearer(oldToken))).status).toBe(401);
    });
  });

  describe('revocation takes effect at once', () => {
    it('revoking a secret ends tokens issued for it', async () => {
      const client = remember(await t.client(['inventory:read']));
      const token = await t.tokenFor(client);
      const detail = await get(`/v1/admin/clients/${client.clientId}`, await adm());
      const secretId = detail.body.secrets[0].secretId as string;
      const res = await t.http
        .post(`/v1/admin/clients/${client.clientId}/secrets/${secretId}/revoke`)
        .set(await adm());
      expect(res.status).toBe(200);
      expect((await get(READ, bearer(token))).status).toBe(401);
      expect((await tokenStatus(client)).status).toBe(401);
    });

    it('disabling a client ends its tokens and keys', async () => {
      const client = remember(await t.client(['inventory:read']));
      const token = await t.tokenFor(client);
      const keyRes = await t.http
        .post(`/v1/admin/clients/${client.clientId}/keys`)
        .set(await adm())
        .send({});
      const key = remember(keyRes.body as { apiKey: string });
      expect((await get(READ, bearer(token))).status).toBe(200);
      const res = await t.http
        .post(`/v1/admin/clients/${client.clientId}/disable`)
        .set(await adm());
      expect(res.body.status).toBe('disabled');
      expect((await get(READ, bearer(token))).status).toBe(401);
      expect((await get(READ, { 'x-api-key': key.apiKey })).status).toBe(401);
      expect((await tokenStatus(client)).status).toBe(401);
    });

    it('removing a scope narrows live tokens', async () => {
      const client = remember(await t.client(['inventory:read', 'orders:read']));
      const token = await t.tokenFor(client);
      await t.http
        .patch(`/v1/admin/clients/${client.clientId}`)
        .set(await adm())
        .send({ scopes: ['orders:read'] });
      expect((await get(READ, bearer(token))).status).toBe(403);
    });

    it('RFC 7009 revocation ends one token; RFC 7662 then answers exactly {"active": false}', async () => {
      const client = remember(await t.client(['inventory:read']));
      const token = await t.tokenFor(client);
      const active = await t.http
        .post('/oauth/introspect')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ token });
      expect(active.body).toMatchObject({
        active: true,
        client_id: client.clientId,
        scope: 'inventory:read',
      });
      const revoked = await t.http
        .post('/oauth/revoke')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ token });
      expect(revoked.status).toBe(200);
      expect((await get(READ, bearer(token))).status).toBe(401);
      const inactive = await t.http
        .post('/oauth/introspect')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ token });
      expect(inactive.body).toEqual({ active: false });
    });

    it("introspection of garbage or of another client's token is inactive; unauthenticated is 401", async () => {
      const a = remember(await t.client(['inventory:read']));
      const b = remember(await t.client(['inventory:read']));
      const tokenB = await t.tokenFor(b);
      const foreign = await t.http
        .post('/oauth/introspect')
        .auth(a.clientId, a.clientSecret)
        .type('form')
        .send({ token: tokenB });
      expect(foreign.body).toEqual({ active: false });
      const garbage = await t.http
        .post('/oauth/introspect')
        .auth(a.clientId, a.clientSecret)
        .type('form')
        .send({ token: 'x.y.z' });
      expect(garbage.body).toEqual({ active: false });
      const anonymous = await t.http.post('/oauth/introspect').type('form').send({ token: tokenB });
      expect(anonymous.status).toBe(401);
    });
  });

  describe('signing-key rotation', () => {
    it('serves old and new keys until the old tokens expire, then retires the old key', async () => {
      const client = remember(await t.client(['inventory:read']));
      const keys = t.app.get(SigningKeysService);
      const before = keys.signingKey().kid;
      const oldToken = await t.tokenFor(client);
      const { kid } = await keys.rotate();
      expect(kid).not.toBe(before);
      const jwks = (await get('/.well-known/jwks.json', {})).body.keys.map(
        (k: { kid: string }) => k.kid,
      );
      expect(jwks).toEqual(expect.arrayContaining([before, kid]));
      const newToken = await t.tokenFor(client);
      expect(JSON.parse(Buffer.from(newToken.split('.')[0], 'base64url').toString()).kid).toBe(kid);
      expect((await get(READ, bearer(oldToken))).status).toBe(200);
      clock.advance(300 + 30 + 30 + 1);
      await keys.refresh();
      const after = (await get('/.well-known/jwks.json', {})).body.keys.map(
        (k: { kid: string }) => k.kid,
      );
      expect(after).toEqual([kid]);
      const lateToken = await t.tokenFor(client);
      expect((await get(READ, bearer(lateToken))).status).toBe(200);
    });

    it('revokes a leaked key at once: its cached tokens fail and a new key signs', async () => {
      const client = remember(await t.client(['inventory:read']));
      const keys = t.app.get(SigningKeysService);
      const leaked = keys.signingKey().kid;
      const token = await t.tokenFor(client);
      // Verified once, so the next call is answered from the verification cache.
      expect((await get(READ, bearer(token))).status).toBe(200);
      const revoked = await keys.revoke(leaked);
      expect(revoked).toEqual({ kid: leaked, active: expect.not.stringMatching(leaked) });
      const refused = await get(READ, bearer(token));
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: 'invalid_token' });
      const jwks = (await get('/.well-known/jwks.json', {})).body.keys.map(
        (k: { kid: string }) => k.kid,
      );
      expect(jwks).not.toContain(leaked);
      expect(jwks).toContain(revoked?.active);
      expect((await get(READ, bearer(await t.tokenFor(client)))).status).toBe(200);
      expect(await keys.revoke(leaked)).toBeUndefined();
    });
  });

  describe('admin API', () => {
    it('needs clients:admin', async () => {
      const token = await t.token(['inventory:read']);
      const res = await get('/v1/admin/clients', bearer(token));
      expect(res.status).toBe(403);
      expect(res.body.detail).toContain('clients:admin');
    });

    it('creates a client whose secret is shown once and never listed', async () => {
      const res = await t.http
        .post('/v1/admin/clients')
        .set(await adm())
        .send({
          name: 'sales-bot',
          scopes: ['leads:write'],
          policies: { orderLookup: 'verified' },
        });
      expect(res.status).toBe(201);
      const created = remember(res.body as { clientId: string; clientSecret: string });
      const list = await get('/v1/admin/clients', await adm());
      expect(list.text).toContain(created.clientId);
      expect(list.text).not.toContain(created.clientSecret);
    });

    it('validates its input', async () => {
      const res = await get('/v1/admin/clients/not-a-client', await adm());
      expect(res.status).toBe(400);
      const bad = await t.http
        .post('/v1/admin/clients')
        .set(await adm())
        .send({ name: 'x', scopes: ['root'] });
      expect(bad.status).toBe(400);
      const missing = await get('/v1/admin/clients/cl_aaaaaaaaaaaaaaaa', await adm());
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('client_not_found');
    });

    it('answers 404 credential_not_found for a key or secret it does not hold', async () => {
      const owner = remember(await t.client(['inventory:read']));
      const other = remember(await t.client(['inventory:read']));
      const detail = await get(`/v1/admin/clients/${other.clientId}`, await adm());
      const othersSecret = (detail.body as { secrets: { secretId: string }[] }).secrets[0]
        ?.secretId;
      expect(othersSecret).toMatch(/^sec_[a-z0-9]{12}$/);
      const paths = [
        '/v1/admin/keys/zzzzzzzzzzzz/rotate',
        '/v1/admin/keys/zzzzzzzzzzzz/revoke',
        `/v1/admin/clients/${owner.clientId}/secrets/sec_zzzzzzzzzzzz/revoke`,
        // A real secret, but of another client.
        `/v1/admin/clients/${owner.clientId}/secrets/${othersSecret}/revoke`,
      ];
      for (const path of paths) {
        const res = await t.http
          .post(path)
          .set(await adm())
          .send({});
        responses.push(res.text);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body).toMatchObject({ status: 404, code: 'credential_not_found' });
      }
      // The other client's secret still works: nothing was revoked.
      expect((await tokenStatus(other)).status).toBe(200);
    });
  });

  describe('the CLI (works with the server stopped, --json everywhere)', () => {
    const cli = (dbFile: string, args: string[]) =>
      JSON.parse(
        execFileSync(process.execPath, ['dist/bin/gatehouse.js', ...args, '--json'], {
          env: {
            PATH: process.env.PATH,
            DATABASE_URL: `file:${dbFile}`,
            GATEHOUSE_PEPPER: Buffer.alloc(32, 7).toString('base64'),
            GATEHOUSE_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
          },
          encoding: 'utf8',
        }),
      );

    beforeAll(() => {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
    }, 120_000);

    it('creates, lists, rotates and revokes, printing one JSON object each time', async () => {
      const db = t.dbFile;
      const created = remember(
        cli(db, [
          'clients',
          'create',
          '--name',
          'cli-bot',
          '--scopes',
          'inventory:read,orders:read',
        ]),
      );
      expect(Object.keys(created)).toEqual(
        expect.arrayContaining(['clientId', 'clientSecret', 'scopes']),
      );
      expect((await tokenStatus(created)).status).toBe(200);
      const listed = cli(db, ['clients', 'list']);
      expect(JSON.stringify(listed)).toContain(created.clientId);
      expect(JSON.stringify(listed)).not.toContain(created.clientSecret);
      const key = remember(
        cli(db, ['keys', 'create', created.clientId, '--scopes', 'inventory:read']),
      );
      expect((await get(READ, { 'x-api-key': key.apiKey })).status).toBe(200);
      remember(cli(db, ['keys', 'rotate', key.keyId, '--grace', '0']));
      expect((await get(READ, { 'x-api-key': key.apiKey })).status).toBe(401);
      const rotated = remember(cli(db, ['secrets', 'rotate', created.clientId, '--grace', '0']));
      expect((await tokenStatus(created)).status).toBe(401);
      expect(
        (await tokenStatus({ clientId: created.clientId, clientSecret: rotated.clientSecret }))
          .status,
      ).toBe(200);
      const signing = cli(db, ['signing-keys', 'rotate']);
      expect(signing.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(cli(db, ['signing-keys', 'list']).keys.length).toBeGreaterThanOrEqual(2);
      const revoked = cli(db, ['signing-keys', 'revoke', signing.kid]);
      expect(revoked).toEqual({ kid: signing.kid, active: expect.stringMatching(/^[\w-]{43}$/) });
      expect(revoked.active).not.toBe(signing.kid);
      const states = cli(db, ['signing-keys', 'list']).keys as { kid: string; status: string }[];
      expect(states.find((k) => k.kid === signing.kid)?.status).toBe('revoked');
      expect(states.find((k) => k.kid === revoked.active)?.status).toBe('active');
      const disabled = cli(db, ['clients', 'disable', created.clientId]);
      expect(disabled.status).toBe('disabled');
      expect(
        (await tokenStatus({ clientId: created.clientId, clientSecret: rotated.clientSecret }))
          .status,
      ).toBe(401);
    });

    it('answers errors as JSON with a non-zero exit', () => {
      let out = '';
      let status = 0;
      try {
        cli(t.dbFile, ['clients', 'disable', 'cl_nope']);
      } catch (error) {
        const e = error as { stdout: string; status: number };
        out = e.stdout;
        status = e.status;
      }
      expect(status).toBe(1);
      expect(JSON.parse(out)).toMatchObject({ error: 'client_not_found' });
      expect(() => cli(t.dbFile, ['signing-keys', 'revoke', 'no-such-kid'])).toThrow(
        expect.objectContaining({
          status: 1,
          stdout: expect.stringContaining('"error":"credential_not_found"'),
        }),
      );
    });
  });

  it('never lets a secret it created reach a log line, a response or the database', () => {
    expect(secrets.length).toBeGreaterThan(10);
    // The logger really saw the suite's requests (one JSON line each), so an empty haystack cannot pass.
    expect(logger.lines.length).toBeGreaterThan(50);
    const db = new Database(t.dbFile, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    const dump = tables
      .map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all()))
      .join('\n');
    db.close();
    const haystacks = {
      logs: logger.lines.join('\n'),
      responses: responses.join('\n'),
      database: dump,
    };
    for (const secret of secrets) {
      const tail = secret.slice(-20);
      for (const [where, text] of Object.entries(haystacks)) {
        expect({ where, found: text.includes(tail) }).toEqual({ where, found: false });
      }
    }
  });
});

describe('revocation in the instance that handled it, with the default status cache (2 s)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('ends tokens of a revoked or rotated-out secret on the next request', async () => {
    const admin = await t.token(['clients:admin']);
    for (const action of ['revoke', 'rotate'] as const) {
      const client = await t.client(['inventory:read']);
      const token = await t.tokenFor(client);
      expect((await t.http.get(READ).auth(token, { type: 'bearer' })).status).toBe(200);
      const detail = await t.http
        .get(`/v1/admin/clients/${client.clientId}`)
        .auth(admin, { type: 'bearer' });
      const secretId = detail.body.secrets[0].secretId as string;
      const res =
        action === 'revoke'
          ? await t.http
              .post(`/v1/admin/clients/${client.clientId}/secrets/${secretId}/revoke`)
              .auth(admin, { type: 'bearer' })
          : await t.http
              .post(`/v1/admin/clients/${client.clientId}/secrets/rotate`)
              .auth(admin, { type: 'bearer' })
              .send({ graceSeconds: 0 });
      // Revoking changes a secret (200); rotating creates one (201).
      expect(res.status).toBe(action === 'revoke' ? 200 : 201);
      expect((await t.http.get(READ).auth(token, { type: 'bearer' })).status).toBe(401);
    }
  });
});
