import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../utils/test-app.js';

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

function expectProblem(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  code: string,
): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  for (const key of PROBLEM_KEYS) expect(res.body).toHaveProperty(key);
  expect(res.body.code).toBe(code);
  expect(res.body.status).toBe(status);
  expect(res.body.instance).toBe(res.headers['x-request-id']);
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+|prisma|sqlite|SELECT /i);
}

describe('errors are RFC 9457 problems (SPEC §4)', () => {
  let t: TestApp;
  let token: string;
  const lead = { name: 'Nguyễn Văn An', email: 'an@example.vn', channel: 'web', consent: true };

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token(['inventory:read', 'leads:write']);
  });
  afterAll(async () => t.close());

  const post = (body: string | object, type = 'application/json') =>
    t.http
      .post('/v1/leads')
      .auth(token, { type: 'bearer' })
      .set('idempotency-key', `key-${Math.random().toString(36).slice(2)}`)
      .set('content-type', type)
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('unknown route -> 404 route_not_found', async () => {
    expectProblem(
      await t.http.get('/v1/payments').auth(token, { type: 'bearer' }),
      404,
      'route_not_found',
    );
  });

  it('wrong method on a real route -> 405 with Allow', async () => {
    const res = await t.http.delete('/v1/leads').auth(token, { type: 'bearer' });
    expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.allow).toBe('POST');
  });

  it('malformed JSON -> 400 malformed_json', async () => {
    expectProblem(await post('{"name": '), 400, 'malformed_json');
  });

  it('wrong content type -> 415', async () => {
    expectProblem(await post('name=x', 'text/plain'), 415, 'unsupported_media_type');
  });

  it('body over 64 KiB -> 413', async () => {
    expectProblem(
      await post({ ...lead, company: 'x'.repeat(70 * 1024) }),
      413,
      'payload_too_large',
    );
  });

  it('unknown field -> 400 validation_failed naming the field', async () => {
    const res = await post({ ...lead, discount: 50 });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toContainEqual({ field: 'discount', message: 'is not a known field' });
  });

  it('wrong type -> 400 validation_failed', async () => {
    const res = await post({ ...lead, consent: 'yes' });
    expectProblem(res, 400, 'validation_failed');
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('consent');
  });

  it('out-of-range value -> 400 validation_failed', async () => {
    const res = await t.http.get('/v1/inventory?q=ban&limit=5000').auth(token, { type: 'bearer' });
    expectProblem(res, 400, 'validation_failed');
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('limit');
  });

  it('missing scope -> 403 naming the scope', async () => {
    const res = await t.http.get('/v1/orders/SO-2026-000123').auth(token, { type: 'bearer' });
    expectProblem(res, 403, 'insufficient_scope');
    expect(res.body.detail).toContain('orders:read');
    expect(res.headers['www-authenticate']).toContain('scope="orders:read"');
  });

  it('missing credentials -> 401 with WWW-Authenticate', async () => {
    const res = await t.http.get('/v1/inventory?q=ban');
    expectProblem(res, 401, 'missing_credentials');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('invalid token -> 401 invalid_token', async () => {
    const res = await t.http.get('/v1/inventory?q=ban').auth('abc.def.ghi', { type: 'bearer' });
    expectProblem(res, 401, 'invalid_token');
  });

  it('unknown routes are 404 with or without a credential', async () => {
    expectProblem(await t.http.get('/v1/secret-admin'), 404, 'route_not_found');
  });

  it('every response carries X-Request-Id, including public routes', async () => {
    for (const path of ['/healthz', '/openapi.json', '/.well-known/jwks.json', '/nope']) {
      const res = await t.http.get(path);
      expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    }
  });

  it('hostile URLs and headers never produce a 5xx', async () => {
    const paths = [
      '/v1/inventory/%E0%A4%A',
      '/v1/inventory/..%2F..%2Fetc%2Fpasswd',
      `/v1/inventory/${'A'.repeat(300)}`,
      '/v1/orders/SO-2026-000123%00',
      '/v1/inventory?q=%F0%9F%98%80&limit=1',
      '/v1/inventory?q[$ne]=1',
      '/v1/inventory?q=a&q=b',
      '/v1/deliveries?from=2026-13-45',
      '/v1/deliveries?cursor=%7B%7D',
      '/%2e%2e/%2e%2e/',
    ];
    for (const path of paths) {
      const res = await t.http.get(path).auth(token, { type: 'bearer' });
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/json/);
    }
  });
});
