import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CapturingLogger, startTestApp, type TestApp } from '../utils/test-app.js';
import { JiraFake } from '../contract/fakes/jira-fake.js';
import { WebhookReceiverFake } from '../contract/fakes/webhook-receiver.fake.js';

const JIRA_EMAIL = 'gatehouse-bot@example.vn';
const JIRA_TOKEN = 'ATATT3xFfGF0-e2e-jira-api-token-value';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789abcdefghij';
const LIMITS = { read: 10_000, write: 10_000 };

/** Polls until `check` returns a value, for at most `ms`. */
async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the outbox delivery');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Jira tickets and signed webhook notifications, end to end', () => {
  let t: TestApp;
  let jira: JiraFake;
  let receiver: WebhookReceiverFake;
  let writer: string;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    jira = await new JiraFake({
      email: JIRA_EMAIL,
      apiToken: JIRA_TOKEN,
      projectKey: 'ED',
    }).start();
    receiver = await new WebhookReceiverFake(WEBHOOK_SECRET).start();
    t = await startTestApp({
      logger,
      env: {
        OUTBOX_ENABLED: 'true',
        OUTBOX_POLL_MS: '50',
        CONNECTOR_TICKETS: 'jira',
        CONNECTOR_NOTIFICATIONS: 'webhook',
        JIRA_URL: jira.url,
        JIRA_EMAIL,
        JIRA_API_TOKEN: JIRA_TOKEN,
        JIRA_PROJECT_KEY: 'ED',
        NOTIFY_WEBHOOK_URL: receiver.url,
        NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
        HANDOFF_RESPONSE_NORMAL: 'within 30 minutes, 8:00-17:00 ICT',
      },
    });
    writer = await t.token(['requests:write', 'requests:read', 'leads:write', 'handoff:write'], {
      limits: LIMITS,
    });
  });

  afterAll(async () => {
    await t.close();
    await jira.stop();
    await receiver.stop();
  });

  const post = (path: string, body: object) =>
    t.http
      .post(path)
      .auth(writer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send(body);

  it('an internal request becomes a Jira issue and the request shows its key', async () => {
    const res = await post('/v1/internal-requests', {
      type: 'stock_transfer',
      summary: 'Move 20 ergonomic chairs from Hà Nội to Đà Nẵng',
      description: 'Customer order SO-2026-000123 needs them by Friday.',
      priority: 'urgent',
      requester: { name: 'Trần Thị Mai', email: 'Mai.Tran@Example.vn', team: 'Sales Đà Nẵng' },
      relatedOrderNumber: 'SO-2026-000123',
    });
    expect(res.status).toBe(201);
    const id = res.body.id as string;

    const issue = await eventually(() =>
      jira.issues.find((i) => i.fields.description?.includes(`* *Gatehouse request:* ${id}`)),
    );
    const [message] = await t.prisma.outboxMessage.findMany({ where: { aggregateId: id } });
    expect(issue.fields).toMatchObject({
      project: { key: 'ED' },
      issuetype: { name: 'Task' },
      summary: 'Move 20 ergonomic chairs from Hà Nội to Đà Nẵng',
      labels: expect.arrayContaining([
        `gatehouse-${message.id}`,
        'gatehouse-type-stock_transfer',
        'gatehouse-priority-urgent',
      ]),
    });

    const submitted = await eventually(async () => {
      const r = await t.http.get(`/v1/internal-requests/${id}`).auth(writer, { type: 'bearer' });
      return r.body.status === 'submitted' ? r.body : undefined;
    });
    expect(submitted).toMatchObject({ id, status: 'submitted', ticketRef: issue.key });
  });

  it('a new lead reaches the sales webhook, signed and verified by the receiver', async () => {
    const res = await post('/v1/leads', {
      name: 'Nguyễn Văn An',
      email: 'an.e2e@example.vn',
      channel: 'zalo',
      consent: true,
      region: 'central',
    });
    expect(res.status).toBe(201);
    const leadId = res.body.leadId as string;

    const hook = await eventually(() =>
      receiver.processed.find((d) => (d.body.data.lead as { leadId?: string }).leadId === leadId),
    );
    const message = await t.prisma.outboxMessage.findFirstOrThrow({
      where: { aggregateId: leadId, topic: 'sales.notify' },
    });
    expect(hook.id).toBe(message.id);
    expect(hook.body).toMatchObject({ type: 'lead.created', channel: 'sales' });
    expect(receiver.rejected).toBe(0);
    await eventually(async () => {
      const m = await t.prisma.outboxMessage.findUniqueOrThrow({ where: { id: message.id } });
      return m.status === 'delivered' ? m : undefined;
    });
  });

  it('a handoff reaches the staff webhook, with the promise HANDOFF_RESPONSE_NORMAL sets', async () => {
    const res = await post('/v1/handoffs', {
      conversationId: 'conv-e2e-handoff',
      reason: 'other',
      summary: 'Customer wants to talk to a person',
    });
    expect(res.status).toBe(201);
    const hook = await eventually(() =>
      receiver.processed.find((d) => d.body.data.handoffId === res.body.handoffId),
    );
    expect(hook.body).toMatchObject({ type: 'handoff.requested', channel: 'staff' });
    expect(hook.body.data.respondWithin).toBe('within 30 minutes, 8:00-17:00 ICT');
    expect(res.body.customerMessage).toContain('within 30 minutes, 8:00-17:00 ICT.');
  });

  it('readiness pings Jira and reports the webhook sink through the database', async () => {
    const res = await t.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(jira.calls('/rest/api/2/myself').length).toBeGreaterThan(0);
    expect(res.body.info['connector:tickets']).toMatchObject({ status: 'up', upstream: 'up' });
    expect(res.body.info['connector:notifications']).toMatchObject({ via: 'database' });
  });

  it('stays ready while Jira is down: tickets wait in the outbox, and readiness says so', async () => {
    // The probe's three attempts (UPSTREAM_READ_RETRIES defaults to 2) all find Jira failing.
    for (let i = 0; i < 3; i += 1) jira.failNext('/rest/api/2/myself', { status: 503 });
    const res = await t.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.info['connector:tickets']).toMatchObject({
      status: 'up',
      upstream: 'down',
      writes: 'queued in the outbox',
    });
    expect(jira.calls('/rest/api/2/myself').length).toBeGreaterThanOrEqual(3);
  });

  it('never logs the Jira token, the webhook secret or the webhook URL', () => {
    const logs = logger.lines.join('\n');
    expect(logs).not.toContain(JIRA_TOKEN);
    expect(logs).not.toContain(Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString('base64'));
    expect(logs).not.toContain(WEBHOOK_SECRET);
    expect(logs).not.toContain(receiver.url);
  });
});
