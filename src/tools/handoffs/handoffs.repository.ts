import { Injectable } from '@nestjs/common';
import type { Handoff } from '../../generated/sqlite/client.js';
import type { Transaction } from '../../idempotency/idempotency.service.js';

export type HandoffStatus = 'queued' | 'notified';

export interface NewHandoff {
  id: string;
  clientId: string;
  conversationId: string;
  reason: string;
  summary: string;
  urgency: string;
  customerContact: Record<string, string>;
  status: HandoffStatus;
  createdAt: Date;
}

/** Gatehouse's own record of handoffs to staff. */
@Injectable()
export class HandoffsRepository {
  create(tx: Transaction, handoff: NewHandoff): Promise<Handoff> {
    return tx.handoff.create({
      data: { ...handoff, customerContact: JSON.stringify(handoff.customerContact) },
    });
  }

  async transition(
    tx: Transaction,
    id: string,
    from: HandoffStatus,
    to: HandoffStatus,
  ): Promise<boolean> {
    const { count } = await tx.handoff.updateMany({
      where: { id, status: from },
      data: { status: to },
    });
    return count === 1;
  }
}
