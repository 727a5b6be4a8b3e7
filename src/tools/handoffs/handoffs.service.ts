import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '../../auth/principal.js';
import { randomId } from '../../clients/credential-hasher.js';
import { Clock } from '../../common/clock.js';
import { normalizeEmail, normalizePhone } from '../../common/contact/normalize-contact.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { recordingInto } from '../../connectors/instrument-port.js';
import { NotificationsPort } from '../../connectors/ports/sinks.port.js';
import type { IdempotentOutcome, Transaction } from '../../idempotency/idempotency.service.js';
import { OutboxService } from '../../outbox/outbox.service.js';
import type { LeadChannel } from '../leads/dto/create-lead.dto.js';
import type { CreateHandoffDto, HandoffReason } from './dto/create-handoff.dto.js';
import type { HandoffResultDto } from './dto/handoff-result.dto.js';
import { HandoffsRepository } from './handoffs.repository.js';

const CHANNEL_PHRASE: Record<LeadChannel, string> = {
  phone: 'contact you by phone',
  email: 'contact you by email',
  zalo: 'contact you on Zalo',
  whatsapp: 'contact you on WhatsApp',
  messenger: 'contact you on Messenger',
  web: 'reply to you here',
  other: 'contact you',
};

@Injectable()
export class HandoffsService implements OnModuleInit {
  constructor(
    private readonly repository: HandoffsRepository,
    private readonly outbox: OutboxService,
    private readonly notifications: NotificationsPort,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.register('staff.notify', {
      deliver: (delivery, upstream) =>
        recordingInto(this.notifications, upstream).notify('staff', delivery),
      onDelivered: async (tx, id) => {
        await this.repository.transition(tx, id, 'queued', 'notified');
      },
    });
  }

  /** Records the handoff and queues the staff notification. */
  async create(
    tx: Transaction,
    principal: Principal,
    dto: CreateHandoffDto,
  ): Promise<IdempotentOutcome<HandoffResultDto>> {
    const urgency = dto.urgency ?? 'normal';
    const contact = dto.customerContact;
    const customerContact = compact({
      name: contact?.name?.trim(),
      email:
        contact?.email === undefined ? undefined : (normalizeEmail(contact.email) ?? undefined),
      phone:
        contact?.phone === undefined ? undefined : (normalizePhone(contact.phone) ?? undefined),
      preferredChannel: contact?.preferredChannel,
    });
    const handoff = await this.repository.create(tx, {
      id: `HO-${randomId(12).toUpperCase()}`,
      clientId: principal.clientId,
      conversationId: dto.conversationId,
      reason: dto.reason,
      summary: dto.summary.trim(),
      urgency,
      customerContact,
      status: 'queued',
      createdAt: this.clock.now(),
    });
    await this.outbox.enqueue(tx, {
      topic: 'staff.notify',
      aggregateId: handoff.id,
      payload: {
        event: 'handoff.requested',
        handoffId: handoff.id,
        conversationId: handoff.conversationId,
        reason: handoff.reason,
        urgency,
        summary: handoff.summary,
        customerContact,
        respondWithin: this.config.handoffResponseTimes[urgency],
        source: { clientId: principal.clientId, clientName: principal.clientName },
        createdAt: handoff.createdAt.toISOString(),
      },
    });
    return {
      status: 201,
      body: {
        handoffId: handoff.id,
        status: 'queued',
        customerMessage: customerMessage(
          handoff.id,
          dto.reason,
          this.config.handoffResponseTimes[urgency],
          contact?.preferredChannel,
        ),
      },
    };
  }
}

/** `respondWithin`: the configured promise for the handoff's urgency (HANDOFF_RESPONSE_*). */
export function customerMessage(
  id: string,
  reason: HandoffReason,
  respondWithin: string,
  channel: LeadChannel | undefined,
): string {
  const apology = reason === 'complaint' ? 'I am sorry for the trouble. ' : '';
  const how = channel ? CHANNEL_PHRASE[channel] : 'pick up this conversation';
  return `${apology}I have passed your conversation to a colleague, who will ${how} ${respondWithin}. Your reference is ${id}.`;
}

function compact(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
