import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sendAndHangUp } from '../utils/raw-http.js';
import { CapturingLogger, startTestApp, type TestApp } from '../utils/test-app.js';

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

/**
 * Sends a Buffer body as its bytes: with a JSON content type superagent would
 * serialise it as JSON. Its typings want a string; at run time it writes either.
 */
/**
 * The audit event of a request nobody waited for: written once the server has
 * seen the hang-up, so looked for until it is there (boundedly).
 */
async function auditEventOf(
  t: TestApp,
  where: { route: string; method?: string },
): Promise<{ status: number | null; outcome: string; response: string } | null> {
  for (let turn = 0; turn < 300; turn++) {
    const event = await t.prisma.auditEvent.findFirst({
      where,
      select: { status: true, outcome: true, response: true },
    });
    if (event) return event;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
}

const asBytes = ((bytes: Buffer) => bytes) as unknown as (body: unknown) => string;

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

  it('JSON in another charset than UTF-8 -> 415; UTF-8 by any spelling is fine', async () => {
    const latin1 = Buffer.from(
      '{"name":"Nguy\xe9n","email":"n@example.vn","channel":"web","consent":true}',
      'latin1',
    );
    const refused = await t.http
      .post('/v1/leads')
      .auth(token, { type: 'bearer' })
      .set('idempotency-key', `key-${Math.random().toString(36).slice(2)}`)
      .set('content-type', 'application/json; charset=iso-8859-1')
      .serialize(asBytes)
      .send(latin1);
    expectProblem(refused, 415, 'unsupported_media_type');
    expect(refused.body.detail).toBe('Send JSON encoded as UTF-8, not iso-8859-1.');
    expect((await post(lead, 'application/json; charset="UTF-8"')).status).toBe(201);
  });

  it('bytes that are not UTF-8 -> 400 malformed_json, never stored as replacement characters', async () => {
    const body = Buffer.concat([
      Buffer.from('{"name":"An'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","email":"bytes@example.vn","channel":"web","consent":true}'),
    ]);
    const res = await t.http
      .post('/v1/leads')
      .auth(token, { type: 'bearer' })
      .set('idempotency-key', `key-${Math.random().toString(36).slice(2)}`)
      .set('content-type', 'application/json')
      .serialize(asBytes)
      .send(body);
    expectProblem(res, 400, 'malformed_json');
    expect(res.body.detail).toBe('The body is not valid UTF-8.');
    await expect(t.prisma.lead.count({ where: { email: 'bytes@example.vn' } })).resolves.toBe(0);
  });

  it('a __proto__ key -> 400 malformed_json that says why', async () => {
    const res = await post('{"__proto__":{"admin":true},"name":"A"}');
    expectProblem(res, 400, 'malformed_json');
    expect(res.body.detail).toContain('"__proto__"');
  });

  it('a control character in any text -> 400 validation_failed naming the field', async () => {
    const res = await post({ ...lead, company: 'Minh\u0000Phát' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([
      {
        field: 'company',
        message: 'must not contain control characters (tab and line breaks are fine)',
      },
    ]);
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

  // [path, status, code, the fields a validation error names (one error per broken rule)]
  const hostile: [string, number, string, string[]][] = [
    ['/v1/inventory/%E0%A4%A', 400, 'bad_request', []],
    ['/v1/inventory/..%2F..%2Fetc%2Fpasswd', 400, 'validation_failed', ['sku']],
    [`/v1/inventory/${'A'.repeat(300)}`, 414, 'uri_too_long', []],
    ['/v1/orders/SO-2026-000123%00', 400, 'validation_failed', ['orderNumber']],
    // The emoji normalises to an empty search text.
    ['/v1/inventory?q=%F0%9F%98%80&limit=1', 400, 'validation_failed', ['q']],
    // Brackets are not parsed into objects: an unknown field, and q is missing.
    ['/v1/inventory?q[$ne]=1', 400, 'validation_failed', ['q[$ne]', 'q']],
    // A repeated parameter is an array, not a string.
    ['/v1/inventory?q=a&q=b', 400, 'validation_failed', ['q']],
    ['/v1/deliveries?from=2026-13-45', 400, 'validation_failed', ['from']],
    ['/v1/deliveries?cursor=%7B%7D', 400, 'validation_failed', ['cursor']],
    ['/%2e%2e/%2e%2e/', 404, 'route_not_found', []],
  ];

  it.each(hostile)('hostile URL %s -> %i %s', async (path, status, code, fields) => {
    // Every scope the paths need, so each reaches the check it is meant for.
    const reader = await t.token(['inventory:read', 'orders:read', 'deliveries:read']);
    const res = await t.http.get(path).auth(reader, { type: 'bearer' });
    expectProblem(res, status, code);
    const errors = (res.body.errors ?? []) as { field: string }[];
    expect([...new Set(errors.map((e) => e.field))]).toEqual(fields);
  });

  it.each(['0x10', '1e1', '%205', '1&limit=2'])(
    'limit=%s -> 400 naming the one broken rule, never read as another number',
    async (limit) => {
      const reader = await t.token(['inventory:read']);
      const res = await t.http.get(`/v1/inventory?q=ban&limit=${limit}`).auth(reader, {
        type: 'bearer',
      });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([
        { field: 'limit', message: 'limit must be an integer number' },
      ]);
    },
  );
});

describe('an unexpected failure is a 500 internal_error that reveals nothing', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token(['clients:admin']);
    // A bug's stand-in: a table the route reads is gone (this app's private database copy).
    const db = new Database(t.dbFile);
    try {
      db.exec('ALTER TABLE "ApiKey" RENAME TO "ApiKeyMoved"');
    } finally {
      db.close();
    }
  });
  afterAll(async () => t.close());

  it('GET /v1/admin/clients/{id} with its ApiKey table missing', async () => {
    const client = await t.client(['inventory:read']);
    const res = await t.http
      .get(`/v1/admin/clients/${client.clientId}`)
      .auth(admin, { type: 'bearer' });
    expectProblem(res, 500, 'internal_error');
    expect(res.body).toEqual({
      type: 'https://gatehouse.dev/problems/internal-error',
      title: 'Internal error',
      status: 500,
      detail: 'Internal error',
      instance: res.headers['x-request-id'],
      code: 'internal_error',
      retryable: true,
      agentHint:
        'Apologise, retry once later, and offer the customer a human colleague if it fails again.',
    });
    expect(res.text).not.toMatch(/ApiKey|table|SQL|prisma|stack|\bat \S+:\d+/i);
  });

  it('is still recorded as the 500 it was when the client of a GET stopped waiting for it', async () => {
    const client = await t.client(['inventory:read']);
    const server = t.app.getHttpServer();
    // The connection is busy: a write waits for the lock another process holds, so the
    // GET's queries wait too, and only run once its client has hung up.
    const holder = new Database(t.dbFile, { timeout: 0 });
    holder.exec('BEGIN IMMEDIATE');
    const write = t.http
      .post('/v1/admin/clients')
      .auth(admin, { type: 'bearer' })
      .send({ name: 'waits', scopes: ['orders:read'] })
      .then((res) => res.status);
    await sendAndHangUp(
      t,
      `GET /v1/admin/clients/${client.clientId} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\n\r\n`,
    );
    const open = () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    for (let turn = 0; turn < 200 && (await open()) > 0; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    holder.exec('COMMIT');
    holder.close();
    await write;
    const event = await auditEventOf(t, { route: '/v1/admin/clients/:clientId', method: 'GET' });
    expect(event).toMatchObject({ status: 500, outcome: 'error' });
  });
});

describe('a client that hangs up in the middle of its body', () => {
  let t: TestApp;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    t = await startTestApp({ logger });
  });
  afterAll(async () => t.close());

  it('is audited as a refused request (400), not as a database outage, and logs no error', async () => {
    // The head and half the body of a POST.
    await sendAndHangUp(
      t,
      `POST /v1/leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"name":"A`,
    );
    const event = await auditEventOf(t, { route: '/v1/leads' });
    expect(event).toMatchObject({ status: 400, outcome: 'invalid' });
    expect(event?.response).toContain('bad_request');
    expect(logger.lines.filter((line) => /unhandled error|ECONNRESET|aborted/.test(line))).toEqual(
      [],
    );
  });
});
