import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '../../auth/principal.js';
import { randomId } from '../../clients/credential-hasher.js';
import { Clock } from '../../common/clock.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import { recordingInto } from '../../connectors/instrument-port.js';
import { TicketsPort } from '../../connectors/ports/sinks.port.js';
import type { IdempotentOutcome, Transaction } from '../../idempotency/idempotency.service.js';
import { OutboxService } from '../../outbox/outbox.service.js';
import type { CreateInternalRequestDto } from './dto/create-internal-request.dto.js';
import type { InternalRequestDto } from './dto/internal-request.dto.js';
import { ticketMessage, toDto } from './internal-request.mapper.js';
import { InternalRequestsRepository } from './requests.repository.js';

@Injectable()
export class InternalRequestsService implements OnModuleInit {
  constructor(
    private readonly repository: InternalRequestsRepository,
    private readonly outbox: OutboxService,
    private readonly tickets: TicketsPort,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.outbox.register('ticket.create', {
      deliver: (delivery, upstream) => recordingInto(this.tickets, upstream).createTicket(delivery),
      onDelivered: async (tx, id, receipt) => {
        await this.repository.transition(tx, id, 'queued', 'submitted', this.clock.now(), {
          ticketRef: receipt.reference,
        });
      },
    });
  }

  /** Records the request; unless the client's policy holds it for review, queues it for the ticket system. */
  async create(
    tx: Transaction,
    principal: Principal,
    dto: CreateInternalRequestDto,
  ): Promise<IdempotentOutcome<InternalRequestDto>> {
    const held = principal.policies.requestApproval === 'required';
    const row = await this.repository.create(tx, {
      id: `IR-${randomId(12).toUpperCase()}`,
      clientId: principal.clientId,
      type: dto.type,
      summary: dto.summary.trim(),
      description: dto.description ?? null,
      priority: dto.priority ?? 'normal',
      requester: compact({
        name: dto.requester?.name,
        email: dto.requester?.email?.trim().toLowerCase(),
        team: dto.requester?.team,
      }),
      relatedOrderNumber: dto.relatedOrderNumber ?? null,
      relatedSku: dto.relatedSku ?? null,
      conversationId: dto.conversationId ?? null,
      status: held ? 'pending_review' : 'queued',
      createdAt: this.clock.now(),
    });
    if (!held) await this.outbox.enqueue(tx, ticketMessage(row));
    return { status: 201, body: toDto(row) };
  }

  /** The request as the calling client sees it; other clients' requests do not exist for it. */
  async get(principal: Principal, id: string): Promise<InternalRequestDto> {
    const row = await this.repository.findForClient(id, principal.clientId);
    if (!row) {
      throw new GatehouseError('internal_request_not_found', {
        detail: `No internal request ${id} is visible to this client.`,
      });
    }
    return toDto(row);
  }
}

function compact(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
