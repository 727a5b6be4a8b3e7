/**
 * Where the outbox delivers writes. `messageId` is the outbox row id and is
 * passed to the core system as an idempotency key, so a redelivery after a
 * crash between send and acknowledge never creates a second record.
 */
export interface SinkDelivery {
  messageId: string;
  payload: Record<string, unknown>;
}

export interface SinkReceipt {
  /** The core system's reference, e.g. a ticket key. */
  reference: string;
}

export abstract class TicketsPort {
  abstract createTicket(delivery: SinkDelivery): Promise<SinkReceipt>;
}

export abstract class CrmLeadsPort {
  abstract pushLead(delivery: SinkDelivery): Promise<SinkReceipt>;
}

export abstract class NotificationsPort {
  abstract notify(channel: 'sales' | 'staff', delivery: SinkDelivery): Promise<SinkReceipt>;
}

/** Thrown by a sink when the core system refused the message for good (no retry helps). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}
