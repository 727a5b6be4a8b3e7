import 'reflect-metadata';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Clock, SystemClock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/app-config.js';
import { createConnectorContext } from '../../src/connectors/connector-registry.js';
import { UpstreamStatusError } from '../../src/connectors/http/upstream-http.js';
import {
  PermanentDeliveryError,
  type NotificationsPort,
  type SinkDelivery,
} from '../../src/connectors/ports/sinks.port.js';
import { UpstreamError } from '../../src/connectors/ports/upstream.error.js';
import { webhookConnector } from '../../src/connectors/webhook/webhook.connector.js';
import { TestClock } from '../utils/test-clock.js';
import { TEST_SECRETS_ENV } from '../utils/template-db.js';
import { WebhookReceiverFake } from './fakes/webhook-receiver.fake.js';
import { failure } from './fakes/failure.js';

const SECRET = 'contract-test-webhook-secret-0123456789abcdef';

/** What LeadsService enqueues on `sales.notify`. */
function leadCreated(messageId: string): SinkDelivery {
  return {
    messageId,
    payload: {
      event: 'lead.created',
      assignedTo: { id: 'rep-hn-01', name: 'Nguyễn Văn An', email: 'an.nguyen@example.vn' },
      lead: { leadId: 'LD-7Q2MX4F7KQAB', name: 'Lê Minh', email: 'minh.le@example.vn' },
      createdAt: '2026-03-02T08:15:00.000Z',
    },
  };
}

describe('signed webhook notifications connector (contract)', () => {
  let receiver: WebhookReceiverFake;

  const adapter = (
    env: Record<string, string> = {},
    clock: Clock = new SystemClock(),
  ): NotificationsPort => {
    const config = loadConfig({
      ...TEST_SECRETS_ENV,
      CONNECTOR_NOTIFICATIONS: 'webhook',
      NOTIFY_WEBHOOK_URL: receiver.url,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      UPSTREAM_TIMEOUT_MS: '300',
      ...env,
    });
    return webhookConnector.notifications!(createConnectorContext(config, clock));
  };

  const expectNoSecrets = (error: unknown): void => {
    const text = `${String(error)} ${inspect(error, { depth: 6 })}`;
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(receiver.url);
    expect(text).not.toContain('127.0.0.1');
  };

  beforeEach(async () => {
    receiver = await new WebhookReceiverFake(SECRET).start();
  });
  afterEach(async () => receiver.stop());

  it('POSTs a Standard Webhooks envelope the receiver verifies with the shared secret', async () => {
    const before = Math.floor(Date.now() / 1000);
    const receipt = await adapter().notify(
      'sales',
      leadCreated('msg_0195f1c2-aaaa-7000-8000-000000000001'),
    );

    expect(receipt).toEqual({ reference: 'webhook:msg_0195f1c2-aaaa-7000-8000-000000000001' });
    expect(receiver.rejected).toBe(0);
    expect(receiver.deliveries).toHaveLength(1);
    const [hook] = receiver.deliveries;
    expect(hook.id).toBe('msg_0195f1c2-aaaa-7000-8000-000000000001');
    expect(hook.timestamp).toBeGreaterThanOrEqual(before);
    expect(hook.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(hook.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(hook.contentType).toBe('application/json');
    expect(hook.body).toEqual({
      type: 'lead.created',
      timestamp: '2026-03-02T08:15:00.000Z',
      channel: 'sales',
      data: leadCreated('x').payload,
    });
  });

  it('names staff notifications by their event', async () => {
    await adapter().notify('staff', {
      messageId: 'msg_staff',
      payload: { event: 'handoff.requested', handoffId: 'HO-1', urgency: 'high' },
    });
    expect(receiver.deliveries[0].body).toMatchObject({
      type: 'handoff.requested',
      channel: 'staff',
      data: { handoffId: 'HO-1' },
    });
  });

  it('accepts a whsec_ (base64) secret the way Standard Webhooks libraries decode it', async () => {
    await receiver.stop();
    const secret = `whsec_${Buffer.alloc(32, 0xab).toString('base64')}`;
    receiver = await new WebhookReceiverFake(secret).start();
    await adapter({ NOTIFY_WEBHOOK_SECRET: secret }).notify('sales', leadCreated('msg_whsec'));
    expect(receiver.rejected).toBe(0);
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('a redelivery keeps the webhook-id, so the receiver processes it once', async () => {
    const clock = new TestClock();
    const webhook = adapter({}, clock);
    await webhook.notify('sales', leadCreated('msg_twice'));
    clock.advance(30);
    await webhook.notify('sales', leadCreated('msg_twice'));

    expect(receiver.deliveries.map((d) => d.id)).toEqual(['msg_twice', 'msg_twice']);
    expect(receiver.processed).toHaveLength(1);
    // Each attempt is signed afresh for its own timestamp.
    const [first, second] = receiver.deliveries;
    expect(second.timestamp - first.timestamp).toBe(30);
    expect(second.signature).not.toBe(first.signature);
    expect(second.raw).toBe(first.raw);
  });

  it('the receiver rejects a stale timestamp; the delivery stays retryable', async () => {
    const stale = new TestClock(Date.now() - 10 * 60_000);
    const error = await failure(adapter({}, stale).notify('sales', leadCreated('msg_stale')));

    expect(receiver.rejected).toBe(1);
    expect(receiver.deliveries).toHaveLength(0);
    expect(error).toBeInstanceOf(UpstreamStatusError);
    expect((error as UpstreamStatusError).upstreamStatus).toBe(401);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expectNoSecrets(error);
  });

  it('the receiver rejects a signature made with another secret', async () => {
    const error = await failure(
      adapter({ NOTIFY_WEBHOOK_SECRET: 'another-secret-of-at-least-32-characters!' }).notify(
        'sales',
        leadCreated('msg_wrong'),
      ),
    );
    expect(receiver.rejected).toBe(1);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
  });

  it.each([400, 410, 413, 422])(
    'a %i is a PermanentDeliveryError without the URL, secret or receiver text',
    async (status) => {
      receiver.failNext({ status });
      const error = await failure(adapter().notify('sales', leadCreated('msg_perm')));

      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toBe(
        `the webhook receiver refused the notification (status ${status})`,
      );
      expectNoSecrets(error);
      expect(inspect(error, { depth: 6 })).not.toContain('receiver says no');
    },
  );

  it.each([408, 429, 500, 502, 503])(
    'a %i is an UpstreamError the outbox retries',
    async (status) => {
      receiver.failNext({ status });
      const webhook = adapter();
      const error = await failure(webhook.notify('sales', leadCreated('msg_retry')));

      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect((error as UpstreamError).upstreamStatus).toBe(status);
      expectNoSecrets(error);
      await expect(webhook.notify('sales', leadCreated('msg_retry'))).resolves.toEqual({
        reference: 'webhook:msg_retry',
      });
      expect(receiver.processed).toHaveLength(1);
    },
  );

  it('a receiver that does not answer is an UpstreamError after UPSTREAM_TIMEOUT_MS', async () => {
    receiver.failNext({ hang: true });
    const error = await failure(adapter().notify('sales', leadCreated('msg_hang')));

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).upstreamStatus).toBeUndefined();
    expectNoSecrets(error);
  });

  it('an unreachable receiver is an UpstreamError without the URL', async () => {
    const url = receiver.url;
    await receiver.stop();
    const error = await failure(
      adapter({ NOTIFY_WEBHOOK_URL: url }).notify('sales', leadCreated('msg_down')),
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect(inspect(error, { depth: 6 })).not.toContain(url);
  });

  it('has no readiness ping: notifications wait in the outbox, so the sink is as ready as the database', () => {
    expect('ping' in adapter()).toBe(false);
  });
});
