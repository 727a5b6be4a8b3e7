import type { InternalRequest } from '../../generated/sqlite/client.js';
import type { OutboxEntry } from '../../outbox/outbox.types.js';
import type {
  InternalRequestPriority,
  InternalRequestType,
} from './dto/create-internal-request.dto.js';
import {
  INTERNAL_REQUEST_STATUSES,
  type InternalRequestDto,
  type InternalRequestStatus,
} from './dto/internal-request.dto.js';

/** The outbox message that makes the ticket: the request as staff need it, requester included. */
export function ticketMessage(row: InternalRequest): OutboxEntry {
  return {
    topic: 'ticket.create',
    aggregateId: row.id,
    payload: {
      requestId: row.id,
      type: row.type,
      summary: row.summary,
      description: row.description,
      priority: row.priority,
      requester: requesterOf(row),
      relatedOrderNumber: row.relatedOrderNumber,
      relatedSku: row.relatedSku,
      conversationId: row.conversationId,
      source: { clientId: row.clientId },
      createdAt: row.createdAt.toISOString(),
    },
  };
}

/** What the agent that created the request sees. */
export function toDto(row: InternalRequest): InternalRequestDto {
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

export function requesterOf(row: InternalRequest): Record<string, string> {
  const value: unknown = JSON.parse(row.requester);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

export function statusOf(value: string): InternalRequestStatus {
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
