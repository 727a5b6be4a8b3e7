import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Test } from 'supertest';
import type { CreatedClient } from '../../src/clients/clients.service.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';
import {
  collectGarbage,
  FuzzStats,
  runCase,
  type FuzzCase,
  type Protocol,
} from './fuzz-harness.js';
import {
  encode,
  hostileBody,
  hostileHeaderValue,
  hostileQuery,
  hostileSegment,
  hostileString,
  type CaseClass,
  type Labelled,
} from './hostile.arbitraries.js';

/**
 * Property-based fuzzing of every route with hostile input (SPEC §4, §5, §7,
 * §10). FUZZ_SEED replays a run; FUZZ_SCALE multiplies the number of cases.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

const GENEROUS_LIMITS = { read: 1_000_000, write: 1_000_000, token: 1_000_000 };
const GENEROUS_ENV = {
  THROTTLE_TOKEN_PER_IP_PER_MINUTE: '1000000',
  THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE: '1000000',
};
const SPEC_LIMITS_ENV = {
  THROTTLE_READ_PER_MINUTE: '120',
  THROTTLE_WRITE_PER_MINUTE: '20',
  THROTTLE_TOKEN_PER_MINUTE: '10',
  THROTTLE_TOKEN_PER_IP_PER_MINUTE: '30',
  THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE: '20',
};

interface Identities {
  bearer: string;
  /** Handed to introspect and revoke, so a valid revoke never kills the token the other cases use. */
  spare: string;
  admin: string;
  auditor: string;
  client: CreatedClient;
  victim: CreatedClient;
}

type Auth = { kind: 'valid' } | { kind: 'none' } | { kind: 'header'; name: string; value: string };

const authArb: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 17, arbitrary: fc.constant<Auth>({ kind: 'valid' }) },
  { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'none' }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('authorization', 'x-api-key'),
        fc.oneof(
          hostileHeaderValue,
          hostileHeaderValue.map((v) => `Bearer ${v}`),
          fc.constantFrom(
            'Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0.',
            'Bearer gh_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
            'Basic Og==',
            'Bearer',
            'gh_../../etc',
          ),
        ),
      )
      .map(([name, value]): Auth => ({ kind: 'header', name, value })),
  },
);

const AGENT_HEADERS = [
  'x-request-id',
  'x-agent-id',
  'x-conversation-id',
  'x-end-user-id',
  'x-forwarded-for',
];
const extraHeadersArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom(...AGENT_HEADERS), hostileHeaderValue, {
      minKeys: 1,
      maxKeys: 3,
    }),
  },
);

const idempotencyArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | null>('uuid') },
  { weight: 1, arbitrary: fc.constant<string | null>(null) },
  { weight: 1, arbitrary: hostileHeaderValue.map<string | null>((v) => v) },
);

const VALID_LEAD = {
  name: 'Nguyễn Văn An',
  email: 'an@example.vn',
  phone: '+84901234567',
  company: 'Công ty ABC',
  interest: { skus: ['BAN-GO-SOI-120'], note: 'Needs 20 desks' },
  channel: 'zalo',
  consent: true,
  conversationId: 'conv-1',
};
const VALID_REQUEST = {
  type: 'stock_transfer',
  summary: 'Move chairs',
  description: 'Customer order SO-2026-000123 needs them by Friday.',
  priority: 'high',
  requester: { name: 'Mai', email: 'mai@example.vn', team: 'Sales' },
  relatedOrderNumber: 'SO-2026-000123',
  relatedSku: 'BAN-GO-SOI-120',
};
const VALID_HANDOFF = {
  conversationId: 'conv-2',
  reason: 'other',
  summary: 'Customer wants a person',
  urgency: 'normal',
  customerContact: { name: 'An', email: 'an@example.vn', preferredChannel: 'zalo' },
};

const WRONG_TYPE: CaseClass = 'wrong-type';
const validShape = (value: string): Labelled<string> => ({ kind: 'valid-shape', value });

/** Builds the cases for every route of one app. */
function routeCases(
  t: TestApp,
  id: Identities,
): { name: string; runs: number; arb: fc.Arbitrary<FuzzCase> }[] {
  const request = (
    method: 'get' | 'post' | 'patch',
    path: string,
    auth: Auth,
    bearer: string,
    headers: Record<string, string> | null,
  ): Test => {
    const test = t.http[method](path);
    if (auth.kind === 'valid') void test.set('authorization', `Bearer ${bearer}`);
    if (auth.kind === 'header') void test.set(auth.name, auth.value);
    for (const [name, value] of Object.entries(headers ?? {})) void test.set(name, value);
    return test;
  };

  const read = (
    name: string,
    n: number,
    path: fc.Arbitrary<Labelled<string>>,
    bearer = id.bearer,
  ): { name: string; runs: number; arb: fc.Arbitrary<FuzzCase> } => ({
    name,
    runs: runs(n),
    arb: fc
      .tuple(path, authArb, extraHeadersArb)
      .map(([p, auth, headers]) =>
        fuzzCase(
          name,
          p.kind,
          'api',
          false,
          headers !== null || auth.kind === 'header',
          { path: p.value, auth, headers },
          () => request('get', p.value, auth, bearer, headers),
        ),
      ),
  });

  const write = (
    name: string,
    n: number,
    path: string,
    valid: Record<string, unknown>,
    bearer = id.bearer,
    method: 'post' | 'patch' = 'post',
    paths: fc.Arbitrary<string> = fc.constant(path),
  ) => ({
    name,
    runs: runs(n),
    arb: fc
      .tuple(paths, hostileBody(valid), authArb, extraHeadersArb, idempotencyArb)
      .map(([p, body, auth, headers, key]) =>
        fuzzCase(
          name,
          body.kind,
          'api',
          true,
          headers !== null || auth.kind === 'header',
          { path: p, body: body.value, auth, headers, key },
          () => {
            const test = request(method, p, auth, bearer, headers);
            if (key !== null) void test.set('idempotency-key', key === 'uuid' ? randomUUID() : key);
            return test.set('content-type', 'application/json').send(body.value);
          },
        ),
      ),
  });

  const segmentOr = (known: string[]) =>
    fc.oneof(
      { weight: 4, arbitrary: hostileSegment },
      {
        weight: 1,
        arbitrary: fc.constantFrom(...known).map(validShape),
      },
    );
  const withQuery = (base: fc.Arbitrary<Labelled<string>>, names: string[]) =>
    fc.tuple(base, fc.option(hostileQuery(names), { freq: 2 })).map(([b, q]) => ({
      kind: b.kind,
      value: q ? `${b.value}?${q.value}` : b.value,
    }));
  const prefixed =
    (prefix: string, suffix = '') =>
    (s: Labelled<string>) => ({
      kind: s.kind,
      value: `${prefix}${s.value}${suffix}`,
    });

  const oauth = (endpoint: 'token' | 'introspect' | 'revoke', n: number) => {
    const name = `POST /oauth/${endpoint}`;
    const fields = [
      'grant_type',
      'client_id',
      'client_secret',
      'scope',
      'token',
      'token_type_hint',
    ];
    const validJson = {
      grant_type: 'client_credentials',
      client_id: id.client.clientId,
      client_secret: id.client.clientSecret,
      ...(endpoint === 'token' ? { scope: 'inventory:read' } : { token: id.spare }),
    };
    const form = fc
      .array(fc.tuple(fc.constantFrom(...fields), hostileString), { minLength: 1, maxLength: 5 })
      .map((pairs) => ({
        kind: pairs[0][1].kind,
        value: pairs.map(([k, v]) => `${k}=${encode(v.value)}`).join('&'),
      }));
    const withRealClient = hostileString.map((s) => ({
      kind: s.kind,
      value: `grant_type=client_credentials&client_id=${id.client.clientId}&client_secret=${id.client.clientSecret}&scope=${encode(s.value)}&token=${encode(s.value)}`,
    }));
    const basic = fc.tuple(hostileString, hostileString).map(([user, pass]) => ({
      kind: user.kind,
      value: `Basic ${Buffer.from(`${user.value}:${pass.value}`, 'utf8').toString('base64')}`,
    }));
    return {
      name,
      runs: runs(n),
      arb: fc
        .oneof(
          form.map((f) => ({
            ...f,
            type: 'form' as const,
            authorization: undefined as string | undefined,
          })),
          withRealClient.map((f) => ({
            ...f,
            type: 'form' as const,
            authorization: undefined as string | undefined,
          })),
          hostileBody(validJson).map((b) => ({
            ...b,
            type: 'json' as const,
            authorization: undefined as string | undefined,
          })),
          fc.tuple(basic, form).map(([b, f]) => ({
            kind: b.kind,
            value: f.value,
            type: 'form' as const,
            authorization: b.value,
          })),
          fc
            .tuple(
              fc.constantFrom(
                'text/plain',
                'multipart/form-data',
                'application/xml',
                'application/json; charset=utf-16',
              ),
              form,
            )
            .map(([type, f]) => ({
              kind: WRONG_TYPE,
              value: f.value,
              type,
              authorization: undefined as string | undefined,
            })),
        )
        .map((c) =>
          fuzzCase(name, c.kind, 'oauth', false, c.authorization !== undefined, c, () => {
            const test = t.http.post(`/oauth/${endpoint}`);
            if (c.authorization) void test.set('authorization', c.authorization);
            const type =
              c.type === 'form'
                ? 'application/x-www-form-urlencoded'
                : c.type === 'json'
                  ? 'application/json'
                  : c.type;
            return test.set('content-type', type).send(c.value);
          }),
        ),
    };
  };

  const mcpCall = (args: Record<string, unknown>, tool = 'check_inventory') => ({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: tool, arguments: args },
  });

  return [
    read(
      'GET /v1/inventory',
      850,
      withQuery(fc.constant(validShape('/v1/inventory')), ['q', 'limit', 'offset']),
    ),
    read(
      'GET /v1/inventory/{sku}',
      750,
      withQuery(segmentOr(['BAN-GO-SOI-120', 'ban-go-soi-120']).map(prefixed('/v1/inventory/')), [
        'warehouse',
      ]),
    ),
    read(
      'GET /v1/orders/{orderNumber}',
      650,
      withQuery(segmentOr(['SO-2026-000001', 'SO-2099-999999']).map(prefixed('/v1/orders/')), [
        'customerEmail',
        'customerPhone',
      ]),
    ),
    read(
      'GET /v1/orders/{orderNumber}/deliveries',
      500,
      withQuery(segmentOr(['SO-2026-000001']).map(prefixed('/v1/orders/', '/deliveries')), [
        'customerEmail',
        'customerPhone',
      ]),
    ),
    read(
      'GET /v1/deliveries',
      750,
      withQuery(fc.constant(validShape('/v1/deliveries')), [
        'from',
        'to',
        'region',
        'cursor',
        'limit',
      ]),
    ),
    write('POST /v1/internal-requests', 850, '/v1/internal-requests', VALID_REQUEST),
    read(
      'GET /v1/internal-requests/{id}',
      500,
      segmentOr(['IR-000001', 'IR-ABCDEFGHJK']).map(prefixed('/v1/internal-requests/')),
    ),
    write('POST /v1/leads', 900, '/v1/leads', VALID_LEAD),
    write('POST /v1/handoffs', 750, '/v1/handoffs', VALID_HANDOFF),
    oauth('token', 645),
    oauth('introspect', 200),
    oauth('revoke', 150),
    read(
      'GET /v1/admin/clients/{id}',
      150,
      segmentOr([id.victim.clientId]).map(prefixed('/v1/admin/clients/')),
      id.admin,
    ),
    write(
      'POST /v1/admin/clients',
      200,
      '/v1/admin/clients',
      {
        name: 'fuzz',
        scopes: ['inventory:read'],
        policies: { orderLookup: 'open' },
        limits: { read: 10 },
      },
      id.admin,
    ),
    write(
      'PATCH /v1/admin/clients/{id}',
      200,
      '',
      { name: 'victim', scopes: ['inventory:read'], limits: { read: 5, token: 3 } },
      id.admin,
      'patch',
      segmentOr([id.victim.clientId]).map((s) => `/v1/admin/clients/${s.value}`),
    ),
    write(
      'POST /v1/admin/clients/{id}/...',
      200,
      '',
      {
        graceSeconds: 60,
        name: 'k',
        scopes: ['inventory:read'],
        expiresAt: '2030-01-01T00:00:00Z',
      },
      id.admin,
      'post',
      fc
        .tuple(
          segmentOr([id.victim.clientId]),
          fc.constantFrom('secrets/rotate', 'keys', 'secrets/sec_000000000000/revoke', 'disable'),
        )
        .map(([s, action]) => `/v1/admin/clients/${s.value}/${action}`),
    ),
    read(
      'GET /v1/admin/internal-requests',
      150,
      withQuery(fc.constant(validShape('/v1/admin/internal-requests')), [
        'status',
        'limit',
        'cursor',
      ]),
      id.admin,
    ),
    write(
      'POST /v1/admin/internal-requests/{id}/...',
      150,
      '',
      { reason: 'Not needed: the customer already has a quote.' },
      id.admin,
      'post',
      fc
        .tuple(segmentOr(['IR-000001', 'IR-ABCDEFGHJK']), fc.constantFrom('approve', 'reject'))
        .map(([s, action]) => `/v1/admin/internal-requests/${s.value}/${action}`),
    ),
    write(
      'POST /v1/admin/keys/{keyId}/...',
      100,
      '',
      { graceSeconds: 60 },
      id.admin,
      'post',
      fc
        .tuple(hostileSegment, fc.constantFrom('rotate', 'revoke'))
        .map(([s, action]) => `/v1/admin/keys/${s.value}/${action}`),
    ),
    read(
      'GET /v1/audit-events',
      350,
      withQuery(fc.constant(validShape('/v1/audit-events')), [
        'clientId',
        'tool',
        'outcome',
        'from',
        'to',
        'cursor',
        'limit',
      ]),
      id.auditor,
    ),
    read(
      'GET /v1/audit-events/verify',
      5,
      fc.constant(validShape('/v1/audit-events/verify')),
      id.auditor,
    ),
    read('GET /v1/tools', 200, withQuery(fc.constant(validShape('/v1/tools')), ['format'])),
    {
      name: 'POST /mcp',
      runs: runs(250),
      arb: fc
        .tuple(
          fc.oneof(
            hostileBody(mcpCall({ sku: 'BAN-GO-SOI-120', warehouse: 'HN' })),
            hostileBody(
              mcpCall(
                {
                  name: 'An',
                  email: 'an@example.vn',
                  channel: 'web',
                  consent: true,
                  idempotencyKey: 'mcp-key-0001',
                },
                'create_lead',
              ),
            ),
            hostileBody({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
          ),
          authArb,
        )
        .map(([body, auth]) =>
          fuzzCase(
            'POST /mcp',
            body.kind,
            'mcp',
            true,
            auth.kind === 'header',
            { body: body.value, auth },
            () =>
              request('post', '/mcp', auth, id.bearer, null)
                .set('accept', 'application/json, text/event-stream')
                .set('content-type', 'application/json')
                .send(body.value),
          ),
        ),
    },
  ];
}

function describeFailure(route: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${route}: ${message.split('\n')[0]?.slice(0, 1200) ?? ''}`;
}

function fuzzCase(
  route: string,
  kind: CaseClass,
  protocol: Protocol,
  write: boolean,
  hostileHeaders: boolean,
  input: unknown,
  send: () => Test,
): FuzzCase {
  return { route, kind, protocol, write, hostileHeaders, input: JSON.stringify(input), send };
}

async function identities(t: TestApp, limits?: typeof GENEROUS_LIMITS): Promise<Identities> {
  const all = [
    'inventory:read',
    'orders:read',
    'deliveries:read',
    'requests:write',
    'requests:read',
    'leads:write',
    'handoff:write',
  ] as const;
  const client = await t.client([...all], limits ? { limits } : {});
  const admin = await t.client(['clients:admin'], limits ? { limits } : {});
  const auditor = await t.client(['audit:read'], limits ? { limits } : {});
  const victim = await t.client(['inventory:read']);
  return {
    client,
    victim,
    bearer: await t.tokenFor(client),
    spare: await t.tokenFor(client),
    admin: await t.tokenFor(admin),
    auditor: await t.tokenFor(auditor),
  };
}

describe('fuzzing every route with hostile input', () => {
  const stats = new FuzzStats();
  const defaults = new FuzzStats();
  let heapBefore = 0;
  let heapAfter = 0;

  afterAll(() => {
    console.log(
      [
        `fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`,
        stats.report('generous limits'),
        defaults.report('default limits'),
        `total ${stats.cases + defaults.cases} cases, ${stats.serverErrors + defaults.serverErrors} responses >= 500; ` +
          `heap after GC ${(heapBefore / 2 ** 20).toFixed(1)} MiB -> ${(heapAfter / 2 ** 20).toFixed(1)} MiB`,
      ].join('\n'),
    );
  });

  describe('with generous limits, so validation is what answers', () => {
    let t: TestApp;
    let id: Identities;

    beforeAll(async () => {
      t = await startTestApp({ env: GENEROUS_ENV });
      id = await identities(t, GENEROUS_LIMITS);
      collectGarbage();
      heapBefore = process.memoryUsage().heapUsed;
    });
    afterAll(async () => t.close());

    it('answers every case below 500, with a problem body for every rejection, and no row for a rejected write', async () => {
      // Every route runs even when an earlier one fails, so one run reports every broken route.
      const failures: string[] = [];
      for (const route of routeCases(t, id)) {
        const result = await fc.check(
          fc.asyncProperty(route.arb, async (c) => {
            await runCase(c, stats, t.prisma);
          }),
          { numRuns: route.runs, seed: SEED, endOnFailure: true },
        );
        if (result.failed) failures.push(describeFailure(route.name, result.errorInstance));
      }
      expect(failures).toEqual([]);
      expect(stats.serverErrors).toBe(0);
      expect(stats.cases).toBeGreaterThanOrEqual(runs(9_000));
    }, 600_000);

    it('keeps the process memory bounded', () => {
      collectGarbage();
      heapAfter = process.memoryUsage().heapUsed;
      expect(heapAfter - heapBefore).toBeLessThan(64 * 2 ** 20);
    });
  });

  describe('with the SPEC default limits, so throttling answers too', () => {
    let t: TestApp;
    let id: Identities;

    beforeAll(async () => {
      t = await startTestApp({ env: SPEC_LIMITS_ENV });
      id = await identities(t);
    });
    afterAll(async () => t.close());

    it('answers below 500 with problem bodies (429 included) and keeps rejected writes out', async () => {
      const all = routeCases(t, id);
      await fc.assert(
        fc.asyncProperty(fc.oneof(...all.map((r) => r.arb)), async (c) => {
          await runCase(c, defaults, t.prisma);
        }),
        { numRuns: runs(1_000), seed: SEED, endOnFailure: true },
      );
      expect(defaults.serverErrors).toBe(0);
      const throttled = [...defaults.byRoute.values()].reduce((n, s) => n + (s.get(429) ?? 0), 0);
      expect(throttled).toBeGreaterThan(0);
    }, 300_000);
  });
});
