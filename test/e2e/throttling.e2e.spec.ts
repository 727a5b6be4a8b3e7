import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { Scope } from '../../src/auth/scopes.js';
import type { ClientLimits } from '../../src/clients/client-policies.js';
import { ThrottlingService } from '../../src/throttling/throttling.service.js';
import { rawExchange } from '../utils/raw-http.js';
import { startTestApp, TestClock, type TestApp } from '../utils/test-app.js';

/** SPEC §7 defaults, spelled out so a harness default meant for other suites cannot change them here. */
export const SPEC_LIMITS_ENV = {
  THROTTLE_READ_PER_MINUTE: '120',
  THROTTLE_WRITE_PER_MINUTE: '20',
  THROTTLE_TOKEN_PER_MINUTE: '10',
  THROTTLE_TOKEN_PER_IP_PER_MINUTE: '30',
  THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE: '20',
};

const PROBLEM_KEYS = [
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'code',
  'retryable',
  'agentHint',
];
const SEARCH = '/v1/inventory?q=ban';
const STOCK = '/v1/inventory/BAN-GO-SOI-120';

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  for (const key of PROBLEM_KEYS) expect(res.body).toHaveProperty(key);
  expect(res.body).toMatchObject({ status, code });
}

function expectThrottled(res: Response, limit: number): void {
  expectProblem(res, 429, 'rate_limited');
  expect(res.body.retryable).toBe(true);
  const wait = res.body.retryAfterSeconds as number;
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
  expect(res.headers['retry-after']).toBe(String(wait));
  expect(res.headers['ratelimit-limit']).toBe(String(limit));
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(res.headers['ratelimit-reset']).toBe(String(wait));
}

function rateHeaders(res: Response): { limit: number; remaining: number; reset: number } {
  return {
    limit: Number(res.headers['ratelimit-limit']),
    remaining: Number(res.headers['ratelimit-remaining']),
    reset: Number(res.headers['ratelimit-reset']),
  };
}

let phoneSeq = 0;
const lead = () => ({
  name: 'Lê Thị Hoa',
  email: `lead-${randomUUID()}@example.vn`,
  phone: `+8490${String(1_000_000 + phoneSeq++).padStart(7, '0')}`,
  channel: 'zalo',
  consent: true,
});

describe('throttling (SPEC §7)', () => {
  let t: TestApp;
  const clock = new TestClock();

  const token = (scopes: Scope[], limits?: ClientLimits) =>
    t.token(scopes, limits ? { limits } : {});
  const get = (path: string, bearer: string) => t.http.get(path).auth(bearer, { type: 'bearer' });
  const createLead = (bearer: string, key = randomUUID()) =>
    t.http
      .post('/v1/leads')
      .auth(bearer, { type: 'bearer' })
      .set('idempotency-key', key)
      .send(lead());
  const auditOf = (res: Response) =>
    t.prisma.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'] } });

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ...SPEC_LIMITS_ENV, CLIENT_CACHE_TTL_MS: '0' } });
  });
  afterAll(async () => t.close());
  // Every test starts in a fresh window (the per-IP counters are shared by the whole suite).
  beforeEach(() => clock.advance(61));

  describe('tool calls, per client and rate class', () => {
    it('counts reads down by exactly one, then answers 429 with Retry-After and a problem body', async () => {
      const bearer = await token(['inventory:read'], { read: 3 });
      const seen = [];
      for (let i = 0; i < 3; i++) {
        const res = await get(STOCK, bearer);
        expect(res.status).toBe(200);
        seen.push(rateHeaders(res));
      }
      expect(seen.map((h) => h.limit)).toEqual([3, 3, 3]);
      expect(seen.map((h) => h.remaining)).toEqual([2, 1, 0]);
      for (const h of seen) expect(h.reset).toBeGreaterThanOrEqual(1);
      for (const h of seen) expect(h.reset).toBeLessThanOrEqual(60);
      const refused = await get(STOCK, bearer);
      expectThrottled(refused, 3);
      expect(refused.body.detail).toContain('3 read calls per minute');
    });

    it('applies the default read limit of 120 per minute', async () => {
      const bearer = await token(['inventory:read']);
      const remaining: number[] = [];
      for (let i = 0; i < 120; i++) {
        const res = await get(SEARCH, bearer);
        expect(res.status).toBe(200);
        remaining.push(rateHeaders(res).remaining);
      }
      expect(remaining).toEqual(Array.from({ length: 120 }, (_, i) => 119 - i));
      expectThrottled(await get(SEARCH, bearer), 120);
    });

    it('opens a new window once the old one has passed', async () => {
      const bearer = await token(['inventory:read'], { read: 1 });
      expect((await get(STOCK, bearer)).status).toBe(200);
      expectThrottled(await get(STOCK, bearer), 1);
      clock.advance(61);
      const res = await get(STOCK, bearer);
      expect(res.status).toBe(200);
      expect(rateHeaders(res).remaining).toBe(0);
    });

    it('never reaches the connector for a throttled read (the audit event has no upstream call)', async () => {
      const bearer = await token(['inventory:read'], { read: 1 });
      const ok = await get(STOCK, bearer);
      const refused = await get(STOCK, bearer);
      expect(refused.status).toBe(429);
      const [okEvent, refusedEvent] = [await auditOf(ok), await auditOf(refused)];
      expect(JSON.parse(okEvent.upstream)).not.toHaveLength(0);
      expect(refusedEvent).toMatchObject({
        outcome: 'throttled',
        status: 429,
        tool: 'check_inventory',
      });
      expect(refusedEvent.clientId).toBe(okEvent.clientId);
      expect(JSON.parse(refusedEvent.upstream)).toEqual([]);
    });

    it('applies the default write limit of 20, and a throttled create_lead leaves no row behind', async () => {
      const bearer = await token(['leads:write']);
      for (let i = 0; i < 20; i++) {
        const res = await createLead(bearer);
        expect(res.status).toBe(201);
        expect(rateHeaders(res)).toMatchObject({ limit: 20, remaining: 19 - i });
      }
      const counts = () =>
        Promise.all([
          t.prisma.lead.count(),
          t.prisma.outboxMessage.count(),
          t.prisma.idempotencyRecord.count(),
        ]);
      const before = await counts();
      const key = randomUUID();
      const refused = await createLead(bearer, key);
      expectThrottled(refused, 20);
      expect(await counts()).toEqual(before);
      // The throttled call never reached the idempotency layer: the same key works in the next window.
      clock.advance(61);
      expect((await createLead(bearer, key)).status).toBe(201);
    });

    it('keeps reads and writes in separate quotas', async () => {
      const bearer = await token(['inventory:read', 'leads:write'], { read: 5, write: 1 });
      expect((await createLead(bearer)).status).toBe(201);
      expectThrottled(await createLead(bearer), 1);
      const read = await get(STOCK, bearer);
      expect(read.status).toBe(200);
      expect(rateHeaders(read)).toMatchObject({ limit: 5, remaining: 4 });
    });

    it('counts per client, not per IP: another client on the same address is unaffected', async () => {
      const first = await token(['inventory:read'], { read: 1 });
      const second = await token(['inventory:read'], { read: 1 });
      expect((await get(STOCK, first)).status).toBe(200);
      expect((await get(STOCK, first)).status).toBe(429);
      expect((await get(STOCK, second)).status).toBe(200);
    });

    it('shares one quota between the tokens of one client', async () => {
      const client = await t.client(['inventory:read'], { limits: { read: 2 } });
      const [a, b] = [await t.tokenFor(client), await t.tokenFor(client)];
      expect((await get(STOCK, a)).status).toBe(200);
      expect((await get(STOCK, b)).status).toBe(200);
      expect((await get(STOCK, a)).status).toBe(429);
    });

    it('counts admin and audit routes in the read class', async () => {
      const auditor = await token(['audit:read'], { read: 2 });
      expect((await get('/v1/audit-events?limit=1', auditor)).status).toBe(200);
      expect((await get('/v1/audit-events/verify', auditor)).status).toBe(200);
      expectThrottled(await get('/v1/audit-events?limit=1', auditor), 2);
      const admin = await token(['clients:admin'], { read: 1 });
      expect((await get('/v1/admin/clients', admin)).status).toBe(200);
      expectThrottled(await get('/v1/admin/clients', admin), 1);
    });

    it('takes per-client limits set through the admin API', async () => {
      const admin = await token(['clients:admin'], { read: 100 });
      const client = await t.client(['inventory:read']);
      const bearer = await t.tokenFor(client);
      expect(rateHeaders(await get(STOCK, bearer)).limit).toBe(120);
      const patched = await t.http
        .patch(`/v1/admin/clients/${client.clientId}`)
        .auth(admin, { type: 'bearer' })
        .send({ limits: { read: 2 } });
      expect(patched.status).toBe(200);
      const res = await get(STOCK, bearer);
      expect(rateHeaders(res)).toMatchObject({ limit: 2, remaining: 0 });
      expectThrottled(await get(STOCK, bearer), 2);
    });
  });

  describe('order of the guards: authentication first, then throttling', () => {
    it('answers 401 without counting or RateLimit headers when the credential is missing or bad', async () => {
      const missing = await t.http.get(STOCK);
      expectProblem(missing, 401, 'missing_credentials');
      expect(missing.headers['ratelimit-limit']).toBeUndefined();
      const bad = await get(STOCK, 'not.a.token');
      expectProblem(bad, 401, 'invalid_token');
      expect(bad.headers['ratelimit-limit']).toBeUndefined();
    });

    it('knows the client when it throttles (so the AuthGuard ran first), and a 403 costs nothing', async () => {
      const bearer = await token(['inventory:read'], { read: 2 });
      for (let i = 0; i < 3; i++)
        expect((await get('/v1/orders/SO-2026-000001', bearer)).status).toBe(403);
      expect(rateHeaders(await get(STOCK, bearer)).remaining).toBe(1);
      expect((await get(STOCK, bearer)).status).toBe(200);
      const refused = await get(STOCK, bearer);
      expect(refused.status).toBe(429);
      expect((await auditOf(refused)).clientId).toMatch(/^cl_/);
      // An exhausted client with a broken token is still told about the token, not the quota.
      expectProblem(await get(STOCK, `${bearer}x`), 401, 'invalid_token');
    });
  });

  describe('token endpoint', () => {
    const tokenRequest = (clientId: string, secret: string) =>
      t.http
        .post('/oauth/token')
        .auth(clientId, secret)
        .type('form')
        .send({ grant_type: 'client_credentials' });

    it('allows 10 tokens per client per minute, then 429 with Retry-After', async () => {
      const client = await t.client(['inventory:read']);
      for (let i = 0; i < 10; i++) {
        const res = await tokenRequest(client.clientId, client.clientSecret);
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(rateHeaders(res)).toMatchObject({ limit: 10, remaining: 9 - i });
      }
      const refused = await tokenRequest(client.clientId, client.clientSecret);
      expectThrottled(refused, 10);
      expect(refused.body.detail).toContain('10 tokens per minute');
      const other = await t.client(['inventory:read']);
      expect((await tokenRequest(other.clientId, other.clientSecret)).status).toBe(200);
    });

    it('honours a per-client token limit', async () => {
      const client = await t.client(['inventory:read'], { limits: { token: 2 } });
      expect((await tokenRequest(client.clientId, client.clientSecret)).status).toBe(200);
      expect((await tokenRequest(client.clientId, client.clientSecret)).status).toBe(200);
      expectThrottled(await tokenRequest(client.clientId, client.clientSecret), 2);
    });

    it('allows 30 token requests per IP per minute across clients', async () => {
      const clients = await Promise.all(
        [0, 1, 2, 3].map(() => t.client(['inventory:read'], { limits: { token: 100 } })),
      );
      for (let i = 0; i < 30; i++) {
        const c = clients[i % 4];
        expect((await tokenRequest(c.clientId, c.clientSecret)).status).toBe(200);
      }
      const fresh = await t.client(['inventory:read']);
      const refused = await tokenRequest(fresh.clientId, fresh.clientSecret);
      expectThrottled(refused, 30);
      expect(refused.body.detail).toContain('from this address');
    });

    it('does not let wrong secrets use up another client’s token quota', async () => {
      const victim = await t.client(['inventory:read']);
      for (let i = 0; i < 12; i++) {
        expect((await tokenRequest(victim.clientId, 'ghs_wrong')).status).toBe(401);
      }
      const res = await tokenRequest(victim.clientId, victim.clientSecret);
      expect(res.status).toBe(200);
      expect(rateHeaders(res)).toMatchObject({ limit: 10, remaining: 9 });
    });
  });

  describe('failed authentication per IP', () => {
    it('after 20 failures refuses every API call from the IP, valid credentials included, until the window resets', async () => {
      const client = await t.client(['inventory:read']);
      const bearer = await t.tokenFor(client);
      for (let i = 0; i < 20; i++) expect((await get(STOCK, `bad.token.${i}`)).status).toBe(401);
      const refused = await get(STOCK, bearer);
      expectThrottled(refused, 20);
      expect(refused.body.detail).toContain('failed authentications');
      expect((await auditOf(refused)).outcome).toBe('throttled');
      expect((await get(STOCK, 'bad.token.again')).status).toBe(429);
      const tokenCall = await t.http
        .post('/oauth/token')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(tokenCall.status).toBe(429);
      expect((await t.http.get('/healthz')).status).toBe(200);
      clock.advance(61);
      expect((await get(STOCK, bearer)).status).toBe(200);
    });

    it('counts 401s from the token endpoint too', async () => {
      const client = await t.client(['inventory:read']);
      for (let i = 0; i < 20; i++) {
        const res = await t.http
          .post('/oauth/token')
          .auth(client.clientId, `wrong-${i}`)
          .type('form')
          .send({ grant_type: 'client_credentials' });
        expect(res.status).toBe(401);
      }
      const res = await t.http
        .post('/oauth/token')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expectThrottled(res, 20);
    });

    it('cannot be escaped with a spoofed X-Forwarded-For', async () => {
      const bearer = await token(['inventory:read']);
      for (let i = 0; i < 20; i++) {
        const res = await get(STOCK, `bad.${i}`).set('x-forwarded-for', `198.51.100.${i}`);
        expect(res.status).toBe(401);
      }
      const spoofed = await get(STOCK, bearer).set('x-forwarded-for', '203.0.113.9');
      expect(spoofed.status).toBe(429);
      const forwarded = await get(STOCK, bearer).set('forwarded', 'for=203.0.113.10');
      expect(forwarded.status).toBe(429);
    });
  });

  it('exposes counts for metrics', () => {
    const stats = t.app.get(ThrottlingService).stats();
    expect(stats.throttled.read).toBeGreaterThan(0);
    expect(stats.throttled.write).toBeGreaterThan(0);
    expect(stats.throttled.token).toBeGreaterThan(0);
    expect(stats.throttled.token_ip).toBeGreaterThan(0);
    expect(stats.throttled.auth_failure_ip).toBeGreaterThan(0);
    expect(stats).toMatchObject({ storageErrors: 0, storageDegraded: false });
  });
});

describe('client IP behind trusted proxies (TRUST_PROXY)', () => {
  let t: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: {
        ...SPEC_LIMITS_ENV,
        THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE: '3',
        TRUST_PROXY: '127.0.0.1, ::1',
      },
    });
  });
  afterAll(async () => t.close());
  beforeEach(() => clock.advance(61));

  const failFrom = (forwardedFor?: string) => {
    const req = t.http.get(STOCK).auth('bad.token', { type: 'bearer' });
    return forwardedFor === undefined ? req : req.set('x-forwarded-for', forwardedFor);
  };

  it('counts the address the trusted proxy reports, so clients behind it are apart', async () => {
    for (let i = 0; i < 3; i++) expect((await failFrom('203.0.113.7')).status).toBe(401);
    expect((await failFrom('203.0.113.7')).status).toBe(429);
    expect((await failFrom('203.0.113.8')).status).toBe(401);
    expect((await failFrom()).status).toBe(401);
  });

  it('does not let a client reset its quota by adding hops in front of the real one', async () => {
    for (let i = 0; i < 3; i++) expect((await failFrom('203.0.113.20')).status).toBe(401);
    expect((await failFrom('1.2.3.4, 203.0.113.20')).status).toBe(429);
    expect((await failFrom(`${randomUUID()}, 203.0.113.20`)).status).toBe(429);
  });

  it('counts IPv6 clients per /64', async () => {
    for (let i = 0; i < 3; i++) expect((await failFrom(`2001:db8:1:2::${i + 1}`)).status).toBe(401);
    expect((await failFrom('2001:db8:1:2:ffff::9')).status).toBe(429);
    expect((await failFrom('2001:db8:1:3::1')).status).toBe(401);
  });
});

describe('HTTP hardening (SPEC §10)', () => {
  let t: TestApp;
  let bearer: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { REQUEST_TIMEOUT_MS: '1000' } });
    bearer = await t.token(['inventory:read', 'leads:write', 'audit:read', 'clients:admin'], {
      limits: { read: 10_000, write: 10_000 },
    });
  });
  afterAll(async () => t.close());

  const get = (path: string) => t.http.get(path).auth(bearer, { type: 'bearer' });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await get(STOCK);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Headers for HTML documents only are left off JSON answers.
    expect(res.headers['referrer-policy']).toBeUndefined();
    expect(res.headers['x-xss-protection']).toBeUndefined();
  });

  it('sends the HTML document headers with Swagger UI', async () => {
    const page = await t.http.get('/docs');
    expect(page.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    });
  });

  it('relaxes the CSP for Swagger UI only as far as it needs', async () => {
    const page = await t.http.get('/docs');
    expect(page.status).toBe(200);
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('upgrade-insecure-requests');
    // Every script on the page is a same-origin file, so script-src 'self' lets it run.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src=/);
      expect(body.trim()).toBe('');
    }
    expect((await t.http.get('/docs/swagger-ui-init.js')).status).toBe(200);
  });

  it.each([
    ['a tool answer', () => get(STOCK)],
    ['a tool error', () => get('/v1/inventory?q=')],
    ['an audit answer', () => get('/v1/audit-events?limit=1')],
    ['an admin answer', () => get('/v1/admin/clients')],
    ['a 404', () => get('/v1/nothing-here')],
    [
      'a token answer',
      () => t.http.post('/oauth/token').type('form').send({ grant_type: 'client_credentials' }),
    ],
  ])('marks %s Cache-Control: no-store', async (_name, call) => {
    expect((await call()).headers['cache-control']).toBe('no-store');
  });

  it('lets documentation and discovery documents be cached', async () => {
    expect((await t.http.get('/openapi.json')).headers['cache-control']).not.toBe('no-store');
    expect((await t.http.get('/.well-known/jwks.json')).headers['cache-control']).toContain(
      'max-age',
    );
  });

  it('keeps CORS off when CORS_ORIGINS is not set', async () => {
    const res = await get(STOCK).set('origin', 'https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http
      .options(STOCK)
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 413 to a body over 64 KiB', async () => {
    const res = await t.http
      .post('/v1/leads')
      .auth(bearer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ ...lead(), company: 'x'.repeat(65 * 1024) });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('answers 414 to a URL over 2048 characters', async () => {
    const res = await get(`/v1/inventory?q=${'a'.repeat(2100)}`);
    expectProblem(res, 414, 'uri_too_long');
    expect(res.body.instance).toBe(res.headers['x-request-id']);
  });

  // These two are answered by Fastify's router before any hook: they need createApp to pass
  // `frameworkErrors` from src/common/http/hardening.ts to the FastifyAdapter.
  it('answers a malformed percent-encoding with a 400 problem', async () => {
    const res = await get('/v1/orders/%ZZ');
    expectProblem(res, 400, 'bad_request');
    expect(res.body.instance).toBe(res.headers['x-request-id']);
  });

  it('answers a path parameter over 256 characters with a 414 problem', async () => {
    expectProblem(await get(`/v1/orders/${'9'.repeat(300)}`), 414, 'uri_too_long');
  });

  it('answers 431 to more than 8 KiB of headers, and to more than 100 headers', async () => {
    expectProblem(await get(STOCK).set('x-padding', 'p'.repeat(9000)), 431, 'headers_too_large');
    const many = get(STOCK);
    for (let i = 0; i < 110; i++) void many.set(`x-h-${i}`, 'v');
    expectProblem(await many, 431, 'headers_too_large');
  });

  it('answers 431 as problem+json even when Node itself refuses the head (over 16 KiB)', async () => {
    const raw = await rawExchange(
      t,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(raw).toContain('application/problem+json');
    expect(raw).toContain('"code":"headers_too_large"');
  });

  it('rejects JSON nested deeper than 20 levels before validation', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 25; i++) deep = { a: deep };
    const res = await t.http
      .post('/v1/leads')
      .auth(bearer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ ...lead(), interest: deep });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.detail).toContain('nested more than 20 levels');
    const arrays = await t.http
      .post('/v1/leads')
      .auth(bearer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .set('content-type', 'application/json')
      .send(`${'['.repeat(30_000)}${']'.repeat(30_000)}`);
    expectProblem(arrays, 400, 'validation_failed');
  });

  it('refuses text with a lone surrogate before it reaches the store', async () => {
    const before = await t.prisma.lead.count();
    const res = await t.http
      .post('/v1/leads')
      .auth(bearer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .set('content-type', 'application/json')
      .send('{"name":"An \\ud800","email":"s@example.vn","channel":"web","consent":true}');
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([{ field: 'name', message: 'must be valid Unicode text' }]);
    expect(await t.prisma.lead.count()).toBe(before);
    const emoji = await t.http
      .post('/v1/leads')
      .auth(bearer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .set('content-type', 'application/json')
      .send(
        '{"name":"An \\ud83d\\ude00","email":"emoji@example.vn","channel":"web","consent":true}',
      );
    expect(emoji.status).toBe(201);
  });

  it('answers the OAuth endpoints in RFC 6749 form for a too-deep body', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 25; i++) deep = [deep];
    const res = await t.http.post('/oauth/token').send({ grant_type: deep });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('refuses prototype-pollution keys', async () => {
    const res = await t.http
      .post('/v1/leads')
      .auth(bearer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .set('content-type', 'application/json')
      .send(
        '{"name":"A","email":"p@example.vn","channel":"web","consent":true,"__proto__":{"admin":true}}',
      );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('answers 408 to a client that does not finish its request in REQUEST_TIMEOUT_MS', async () => {
    const head =
      'POST /v1/leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100';
    const raw = await rawExchange(t, `${head}\r\n\r\n{"na`);
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(raw).toContain('"code":"request_timeout"');
  });
});
