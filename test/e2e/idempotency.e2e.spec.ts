import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { CreatedClient } from '../../src/clients/clients.service.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

const LIMITS = { read: 10_000, write: 10_000 };

const HANDOFF = {
  conversationId: 'conv-idem-1',
  reason: 'customer_request',
  summary: 'Customer wants to talk to a person about a delivery.',
  urgency: 'normal',
};
/**
 * sha256 (hex) of the canonical JSON (keys sorted) of POST /v1/handoffs with HANDOFF:
 * {"body":{"conversationId":"conv-idem-1","reason":"customer_request","summary":"Customer wants
 * to talk to a person about a delivery.","urgency":"normal"},"method":"POST","route":"/v1/handoffs"}
 */
const HANDOFF_FINGERPRINT = 'f30a1e8c58985a68ecef67a521463fa3bcb378a4fd13e64173cf299164410ea9';

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code });
}

describe('Idempotency-Key on writes (SPEC §5.8)', () => {
  let t: TestApp;
  let client: CreatedClient;
  let bearer: string;

  const post = (path: string, body: object, key: string | null, token = bearer) => {
    const req = t.http.post(path).auth(token, { type: 'bearer' });
    if (key !== null) void req.set('Idempotency-Key', key);
    return req.send(body);
  };

  beforeAll(async () => {
    t = await startTestApp();
    client = await t.client(['requests:write', 'leads:write', 'handoff:write'], { limits: LIMITS });
    bearer = await t.tokenFor(client);
  });
  afterAll(async () => t.close());

  it.each(['/v1/internal-requests', '/v1/leads', '/v1/handoffs'])(
    '%s without the header -> 400 idempotency_key_required',
    async (path) => {
      const body =
        path === '/v1/leads'
          ? { name: 'An', email: 'no-key@example.vn', channel: 'web', consent: true }
          : path === '/v1/handoffs'
            ? HANDOFF
            : { type: 'quote', summary: 'Quote' };
      const res = await post(path, body, null);
      expectProblem(res, 400, 'idempotency_key_required');
      expect(res.body.agentHint).toMatch(/Idempotency-Key/);
    },
  );

  it.each(['short', 'has spaces in it', 'ümlaut-key-123', 'x'.repeat(129)])(
    'a malformed key %p -> 400 validation_failed on Idempotency-Key',
    async (key) => {
      const res = await post('/v1/handoffs', HANDOFF, key);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    },
  );

  it('replays the first response for the same key and body, and writes once', async () => {
    const key = randomUUID();
    const first = await post('/v1/internal-requests', { type: 'quote', summary: 'Quote A' }, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const again = await post('/v1/internal-requests', { summary: 'Quote A', type: 'quote' }, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await t.prisma.internalRequest.count({ where: { summary: 'Quote A' } })).toBe(1);
    expect(await t.prisma.outboxMessage.count({ where: { aggregateId: first.body.id } })).toBe(1);
  });

  it('replays a lead creation as created, even though the lead now exists', async () => {
    const key = randomUUID();
    const lead = { name: 'Minh', phone: '0903 111 222', channel: 'phone', consent: true };
    const first = await post('/v1/leads', lead, key);
    const replay = await post('/v1/leads', lead, key);
    const fresh = await post('/v1/leads', lead, randomUUID());
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toEqual({ ...first.body, duplicate: true });
  });

  it('the same key with a different body -> 422 idempotency_key_reused', async () => {
    const key = randomUUID();
    expect((await post('/v1/handoffs', HANDOFF, key)).status).toBe(201);
    const res = await post('/v1/handoffs', { ...HANDOFF, urgency: 'high' }, key);
    expectProblem(res, 422, 'idempotency_key_reused');
    expect(res.body.retryable).toBe(false);
  });

  it('the same key on a different tool -> 422 idempotency_key_reused', async () => {
    const key = randomUUID();
    expect((await post('/v1/handoffs', HANDOFF, key)).status).toBe(201);
    const res = await post('/v1/internal-requests', { type: 'quote', summary: 'Q' }, key);
    expectProblem(res, 422, 'idempotency_key_reused');
  });

  it('the same key while the first call is in flight -> 409, retryable after 1 s', async () => {
    const key = randomUUID();
    await t.prisma.idempotencyRecord.create({
      data: {
        clientId: client.clientId,
        key,
        requestHash: HANDOFF_FINGERPRINT,
        status: 'in_flight',
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const handoffs = await t.prisma.handoff.count();
    const res = await post('/v1/handoffs', HANDOFF, key);
    expectProblem(res, 409, 'idempotency_key_in_flight');
    expect(res.body).toMatchObject({ retryable: true, retryAfterSeconds: 1 });
    expect(res.headers['retry-after']).toBe('1');
    expect(await t.prisma.handoff.count()).toBe(handoffs);
  });

  it('concurrent calls with one key write once', async () => {
    const key = randomUUID();
    const body = { type: 'purchase', summary: 'Concurrent purchase' };
    const responses = await Promise.all(
      [1, 2, 3, 4].map(() => post('/v1/internal-requests', body, key)),
    );
    for (const res of responses) expect([201, 409]).toContain(res.status);
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const res of created) expect(res.body).toEqual(created[0]?.body);
    expect(await t.prisma.internalRequest.count({ where: { summary: body.summary } })).toBe(1);
  });

  it('keys are per client', async () => {
    const key = randomUUID();
    const other = await t.token(['handoff:write'], { limits: LIMITS });
    const mine = await post('/v1/handoffs', HANDOFF, key);
    const theirs = await post('/v1/handoffs', { ...HANDOFF, urgency: 'low' }, key, other);
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.handoffId).not.toBe(mine.body.handoffId);
  });

  it('keeps the key at least IDEMPOTENCY_TTL_HOURS (24 h)', async () => {
    const key = randomUUID();
    const before = Date.now();
    await post('/v1/handoffs', HANDOFF, key);
    const record = await t.prisma.idempotencyRecord.findUniqueOrThrow({
      where: { clientId_key: { clientId: client.clientId, key } },
    });
    expect(record.status).toBe('completed');
    expect(record.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 24 * 3_600_000);
  });

  it('a rejected body leaves the key unused', async () => {
    const key = randomUUID();
    const bad = await post('/v1/handoffs', { ...HANDOFF, reason: 'bored' }, key);
    expectProblem(bad, 400, 'validation_failed');
    const good = await post('/v1/handoffs', HANDOFF, key);
    expect(good.status).toBe(201);
  });
});
