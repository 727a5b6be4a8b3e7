import type { Clock } from '../../common/clock.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import {
  NotificationsPort,
  PermanentDeliveryError,
  type SinkDelivery,
  type SinkReceipt,
} from '../ports/sinks.port.js';
import { webhookDeliveryError } from './webhook-delivery-error.js';
import { signWebhook } from './webhook-signature.js';

/** Signed content is `{id}.{timestamp}.{body}`, so the id must not contain a dot. */
const WEBHOOK_ID = /^[A-Za-z0-9_-]{1,128}$/;
const EVENT_TYPE = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** The JSON body: a Standard Webhooks envelope around the outbox payload. */
export interface WebhookEnvelope {
  type: string;
  timestamp: string;
  channel: 'sales' | 'staff';
  data: Record<string, unknown>;
}

/**
 * Notifications as signed webhooks (Standard Webhooks headers): the receiver
 * authenticates each POST with the shared secret and uses `webhook-id`, the
 * outbox message id, to ignore a redelivery. See docs/connectors/webhook.md.
 *
 * No `ping`: a webhook receiver has no health endpoint, and notifications wait
 * in the outbox until it answers, so this sink is as ready as the database.
 */
export class WebhookNotificationsAdapter extends NotificationsPort {
  constructor(
    private readonly http: UpstreamHttp,
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {
    super();
  }

  async notify(channel: 'sales' | 'staff', delivery: SinkDelivery): Promise<SinkReceipt> {
    if (!WEBHOOK_ID.test(delivery.messageId)) {
      throw new PermanentDeliveryError('the message id cannot be used as a webhook-id');
    }
    const envelope = toEnvelope(channel, delivery, this.clock.now());
    // Sent as rawBody: the receiver verifies the signature over these exact bytes.
    const body = JSON.stringify(envelope);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    try {
      await this.http.request({
        operation: `notify.${channel}`,
        method: 'POST',
        path: '',
        rawBody: body,
        headers: {
          'webhook-id': delivery.messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.key, delivery.messageId, timestamp, body),
        },
        idempotent: false,
      });
    } catch (error) {
      throw webhookDeliveryError(error);
    }
    return { reference: `webhook:${delivery.messageId}` };
  }
}

export function toEnvelope(
  channel: 'sales' | 'staff',
  delivery: SinkDelivery,
  now: Date,
): WebhookEnvelope {
  const { event, createdAt } = delivery.payload;
  return {
    type: typeof event === 'string' && EVENT_TYPE.test(event) ? event : `notification.${channel}`,
    // When the event happened, the same on every attempt; webhook-timestamp is the attempt's.
    timestamp: typeof createdAt === 'string' ? createdAt : now.toISOString(),
    channel,
    data: delivery.payload,
  };
}
