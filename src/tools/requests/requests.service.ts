import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '../../auth/principal.js';
import { randomId } from '../../clients/credential-hasher.js';
import { Clock } from '../../common/clock.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import { TicketsPort } from '../../connectors/ports/sinks.port.js';
import type { InternalRequest } from '../../generated/sqlite/client.js';
import type { IdempotentOutcome, Transaction } from '../../idempotency/idempotency.service.js';
import { OutboxService } from '../../outbox/outbox.service.js';
import type { OutboxEntry } from '../../outbox/outbox.types.js';
import type {
  CreateInternalRequestDto,
  InternalRequestPriority,
  InternalRequestType,
} from './dto/create-internal-request.dto.js';
import {
  INTERNAL_REQUEST_STATUSES,
  type InternalRequestDto,
  type InternalRequestStatus,
} from './dto/internal-request.dto.js';
import { InternalRequestsRepository } from './requests.repository.js';

export interface ApprovalResult {
  /** False when the request was not waiting for review (already approved, or rejected). */
  approved: boolean;
  request: InternalRequestDto;
}

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
      deliver: (delivery) => this.tickets.createTicket(delivery),
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

  /** For the admin API: releases a request held for review to the ticket system. */
  approve(id: string): Promise<ApprovalResult> {
    return this.repository.inTransaction(async (tx) => {
      const approved = await this.repository.transition(
        tx,
        id,
        'pending_review',
        'queued',
        this.clock.now(),
      );
      const row = await this.repository.find(tx, id);
      if (!row) {
        throw new GatehouseError('internal_request_not_found', {
          detail: `There is no internal request ${id}.`,
        });
      }
      if (approved) await this.outbox.enqueue(tx, ticketMessage(row));
      return { approved, request: toDto(row) };
    });
  }
}

function ticketMessage(row: InternalRequest): OutboxEntry {
  return {
    topic: 'ticket.create',
    aggregateId: row.id,
    payload: {
      requestId: row.id,
      type: row.type,
      summary: row.summary,
      description: row.description,
      priority: row.priority,
      requester: JSON.parse(row.requester) as unknown,
      relatedOrderNumber: row.relatedOrderNumber,
      relatedSku: row.relatedSku,
      conversationId: row.conversationId,
      source: { clientId: row.clientId },
      createdAt: row.createdAt.toISOString(),
    },
  };
}

function toDto(row: InternalRequest): InternalRequestDto {
  const status = statusOf(row.status);
  return {
    id: row.id,
    status,
    type: row.type as InternalRequestType,
    summary: row.summary,
    priority: row.priority as InternalRequestPriority,
    ticketRef: row.ticketRef,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    message: messageFor(row.id, status, row.ticketRef),
  };
}

function statusOf(value: string): InternalRequestStatus {
  const known = INTERNAL_REQUEST_STATUSES as readonly string[];
  if (!known.includes(value)) throw new Error(`unknown internal request status ${value}`);
  return value as InternalRequestStatus;
}

function messageFor(id: string, status: InternalRequestStatus, ticketRef: string | null): string {
  switch (status) {
    case 'pending_review':
      return `Your request ${id} has been recorded and is waiting for a colleague to approve it; you can ask about it later with this reference.`;
    case 'queued':
      return `Your request ${id} has been passed to our team; a ticket will be opened shortly.`;
    case 'submitted':
      return `Your request ${id} is with our team as ticket ${ticketRef ?? 'reference pending'}.`;
    case 'rejected':
      return `Our team could not take on request ${id}; offer to connect the user with a colleague who can explain why.`;
  }
}

function compact(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
