import type { UpstreamCall } from '../common/http/request-context.js';
import type { SinkDelivery, SinkReceipt } from '../connectors/ports/sinks.port.js';
import type { Transaction } from '../idempotency/idempotency.service.js';

export const OUTBOX_TOPICS = ['ticket.create', 'crm.lead', 'sales.notify', 'staff.notify'] as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[number];

export type OutboxStatus = 'pending' | 'processing' | 'delivered' | 'dead';

export interface OutboxEntry {
  topic: OutboxTopic;
  /** The Gatehouse record the message is about (internal request, lead, handoff id). */
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** How one topic reaches its core system; registered by the feature that enqueues it. */
export interface OutboxHandler {
  /**
   * Sends the message. Must be idempotent on `delivery.messageId`. Core-system
   * calls are recorded into `upstream` (`recordingInto`) for the metrics.
   */
  deliver(delivery: SinkDelivery, upstream: UpstreamCall[]): Promise<SinkReceipt>;
  /** Records the result on the aggregate, in the transaction that marks the message delivered. */
  onDelivered?(tx: Transaction, aggregateId: string, receipt: SinkReceipt): Promise<void>;
}
