import { Injectable } from '@nestjs/common';
import type { Lead } from '../../generated/sqlite/client.js';
import type { Transaction } from '../../idempotency/idempotency.service.js';

export interface NewLead {
  id: string;
  clientId: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  interestSkus: string[];
  interestNote: string | null;
  channel: string;
  consent: boolean;
  conversationId: string | null;
  region: string | null;
  assignedRepId: string | null;
  createdAt: Date;
}

const ASSIGNMENT_COUNTER = 'lead_assignment';

/** Gatehouse's own record of leads: the dedupe and assignment state (the CRM gets a copy). */
@Injectable()
export class LeadsRepository {
  /** The lead holding this normalised email, else the one holding this phone. */
  async findByContact(
    tx: Transaction,
    contact: { email: string | null; phone: string | null },
  ): Promise<Lead | null> {
    const byEmail = contact.email
      ? await tx.lead.findUnique({ where: { email: contact.email } })
      : null;
    if (byEmail) return byEmail;
    return contact.phone ? tx.lead.findUnique({ where: { phone: contact.phone } }) : null;
  }

  /**
   * This lead's place in the assignment rotation: how many leads were created
   * before it. Bumped in the lead's own transaction, so a rolled-back lead
   * gives its place back, and concurrent creations never share one.
   */
  async nextAssignmentPosition(tx: Transaction): Promise<number> {
    const { value } = await tx.counter.upsert({
      where: { name: ASSIGNMENT_COUNTER },
      create: { name: ASSIGNMENT_COUNTER, value: 1 },
      update: { value: { increment: 1 } },
    });
    return value - 1;
  }

  create(tx: Transaction, lead: NewLead): Promise<Lead> {
    return tx.lead.create({ data: { ...lead, interestSkus: lead.interestSkus.join(',') } });
  }
}
