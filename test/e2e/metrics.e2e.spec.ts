import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OutboxWorker } from '../../src/outbox/outbox.worker.js';
import { WebhookReceiverFake } from '../contract/fakes/webhook-receiver.fake.js';
import { sample } from '../utils/prometheus.js';
import { startTestApp, TestClock, type TestApp } from '../utils/test-app.js';

const METRICS_TOKEN = 'scrape-token-for-tests-0123456789';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789abcdefghij';

describe('/metrics: outbox deliveries, their core-system calls and audit append latency', () => {
  let t: TestApp;
  let receiver: WebhookReceiverFake;
  let writer: string;

  beforeAll(async () => {
    receiver = await new WebhookReceiverFake(WEBHOOK_SECRET).start();
    t = await startTestApp({
      env: {
        CONNECTOR_NOTIFICATIONS: 'webhook',
        NOTIFY_WEBHOOK_URL: receiver.url,
        NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
        OUTBOX_MAX_ATTEMPTS: '2',
      },
    });
    writer = await t.token(['leads:write', 'inventory:read']);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const scrape = async (): Promise<string> => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    return res.text;
  };
  const createLead = (email: string) =>
    t.http
      .post('/v1/leads')
      .auth(writer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ name: 'Lê Văn Cường', email, channel: 'web', consent: true });
  const drain = () => t.app.get(OutboxWorker).drain();

  it('counts each delivery attempt by topic and outcome, with the connector calls it made', async () => {
    receiver.failNext({ status: 502 });
    expect((await createLead('cuong.metrics@example.vn')).status).toBe(201);
    await drain();

    let text = await scrape();
    const deliveries = (topic: string, outcome: string) =>
      sample(text, 'gatehouse_outbox_deliveries_total', { topic, outcome }) ?? 0;
    const calls = (system: string, operation: string, status: string) =>
      sample(text, 'gatehouse_upstream_calls_total', { system, operation, status }) ?? 0;
    // The CRM push went to the embedded store; the sales notification met the 502.
    expect(deliveries('crm.lead', 'delivered')).toBe(1);
    expect(deliveries('sales.notify', 'retry')).toBe(1);
    expect(calls('embedded', 'crmleads.pushLead', 'ok')).toBe(1);
    expect(calls('webhook', 'notifications.notify', 'error')).toBe(1);
    expect(
      sample(text, 'gatehouse_upstream_call_duration_seconds_count', {
        system: 'webhook',
        operation: 'notifications.notify',
      }),
    ).toBe(1);

    // The retry is due after its back-off; make it due now and deliver it.
    const db = new Database(t.dbFile);
    try {
      db.prepare(
        `UPDATE OutboxMessage SET nextAttemptAt = '2000-01-01T00:00:00.000+00:00' WHERE status = 'pending'`,
      ).run();
    } finally {
      db.close();
    }
    await drain();
    text = await scrape();
    expect(deliveries('sales.notify', 'delivered')).toBe(1);
    expect(calls('webhook', 'notifications.notify', 'ok')).toBe(1);
    expect(receiver.processed).toHaveLength(1);
  });

  it('observes audit appends, batched (reads) and inside a write’s transaction', async () => {
    const count = (text: string, path: string) =>
      sample(text, 'gatehouse_audit_append_duration_seconds_count', { path }) ?? 0;
    const before = await scrape();
    expect(
      (await t.http.get('/v1/inventory/DESK-OAK-140').auth(writer, { type: 'bearer' })).status,
    ).toBe(200);
    expect((await createLead('cuong.audit@example.vn')).status).toBe(201);
    const after = await scrape();
    expect(count(after, 'batch')).toBeGreaterThan(count(before, 'batch'));
    expect(count(after, 'transaction')).toBe(count(before, 'transaction') + 1);
    expect(
      sample(after, 'gatehouse_audit_append_duration_seconds_bucket', {
        path: 'transaction',
        le: '+Inf',
      }),
    ).toBe(count(after, 'transaction'));
  });
});

describe('/metrics with METRICS_TOKEN: wrong tokens are failed authentications', () => {
  let t: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: { METRICS_TOKEN, THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE: '3' },
    });
  });
  afterAll(async () => t.close());

  const scrape = (token: string) => t.http.get('/metrics').auth(token, { type: 'bearer' });

  it('limits guesses per IP like API credentials, and audits the refusals', async () => {
    for (let i = 0; i < 3; i++)
      expect((await scrape(`guess-${i}-0123456789abcdef`)).status).toBe(401);
    // The allowance is used up: even the right token is refused, so a guess cannot be confirmed.
    const refused = await scrape(METRICS_TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);

    const audited = t.prisma.auditEvent.findMany({
      where: { route: '/metrics' },
      orderBy: { seq: 'asc' },
    });
    expect((await audited).map((e) => e.status)).toEqual([401, 401, 401, 429]);

    clock.advance(61);
    expect((await scrape(METRICS_TOKEN)).status).toBe(200);
    // A successful scrape is infrastructure, not an API call: not audited.
    expect(await t.prisma.auditEvent.count({ where: { route: '/metrics' } })).toBe(4);
  });
});

describe('tool and client labels on requests refused before any guard', () => {
  let t: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE: '2' } });
  });
  afterAll(async () => t.close());
  beforeEach(() => clock.advance(61));

  const metrics = async () => (await t.http.get('/metrics')).text;
  const auditOf = (requestId: string) =>
    t.prisma.auditEvent.findFirstOrThrow({ where: { requestId } });

  it('names the tool of a request refused per IP before authentication', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.http.get('/v1/inventory/DESK-OAK-140').auth('bad', { type: 'bearer' });
      expect(res.status).toBe(401);
    }
    const refused = await t.http.get('/v1/inventory/DESK-OAK-140').auth('bad', { type: 'bearer' });
    expect(refused.status).toBe(429);
    const text = await metrics();
    expect(sample(text, 'gatehouse_throttled_total', { tool: 'check_inventory' })).toBe(1);
    expect(
      sample(text, 'gatehouse_rate_limit_refusals_total', { counter: 'auth_failure_ip' }),
    ).toBe(1);
    // No Redis configured: the local counters are the store, never degraded.
    expect(sample(text, 'gatehouse_rate_limit_store_degraded', {})).toBe(0);
    expect((await auditOf(refused.headers['x-request-id'])).tool).toBe('check_inventory');
  });

  it('names the tool of a write whose body is not JSON', async () => {
    const token = await t.token(['leads:write']);
    const res = await t.http
      .post('/v1/leads')
      .auth(token, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .set('content-type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect((await auditOf(res.headers['x-request-id'])).tool).toBe('create_lead');
  });

  it('names the client of a token request, issued or refused by its own limit', async () => {
    const client = await t.client(['inventory:read'], { limits: { token: 1 } });
    const ask = () =>
      t.http
        .post('/oauth/token')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' });
    const issued = await ask();
    expect(issued.status).toBe(200);
    expect((await auditOf(issued.headers['x-request-id'])).clientId).toBe(client.clientId);
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(
      sample(await metrics(), 'gatehouse_throttled_total', { client_id: client.clientId }),
    ).toBe(1);
  });
});
