import { Injectable } from '@nestjs/common';
import { maskEmail, maskName } from '../common/privacy/mask.js';
import type { InternalRequest } from '../generated/sqlite/client.js';
import { requesterOf, statusOf } from '../tools/requests/internal-request.mapper.js';
import {
  InternalRequestsReviewService,
  type ReviewResult,
} from '../tools/requests/requests-review.service.js';
import type {
  InternalRequestPriority,
  InternalRequestType,
} from '../tools/requests/dto/create-internal-request.dto.js';
import type { InternalRequestStatus } from '../tools/requests/dto/internal-request.dto.js';
import type {
  InternalRequestPageDto,
  InternalRequestReviewDto,
  ReviewRequesterDto,
} from './dto/internal-requests.dto.js';
import {
  decodeReviewCursor,
  encodeReviewCursor,
  invalidReviewCursor,
} from './internal-request-cursor.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { keysetPage } from '../common/http/page-cursor.js';
import { SecurityEventsService } from './security-events.service.js';

/** Who decided: the admin client over HTTP, or the CLI. */
export interface Reviewer {
  actor: string;
  transport: 'http' | 'cli';
  requestId?: string;
}

export interface ReviewListQuery {
  status?: InternalRequestStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * The review queue for requests a client's policy holds for approval, shared
 * by the admin API and the CLI: every decision is audited (kind "security").
 */
@Injectable()
export class RequestReviewService {
  constructor(
    private readonly requests: InternalRequestsReviewService,
    private readonly events: SecurityEventsService,
  ) {}

  /** Oldest first: a queue is worked from the front, so nothing waits behind newer requests. */
  async list(query: ReviewListQuery): Promise<InternalRequestPageDto> {
    const status = query.status ?? null;
    const cursor = query.cursor === undefined ? null : decodeReviewCursor(query.cursor);
    if (cursor && cursor.status !== status) {
      throw invalidReviewCursor('cursor belongs to a listing with a different status');
    }
    const rows = await this.requests.page(status, cursor, query.limit + 1);
    return keysetPage(rows, query.limit, toReviewDto, (last) =>
      encodeReviewCursor({ createdAt: last.createdAt, id: last.id, status }),
    );
  }

  async approve(id: string, reviewer: Reviewer): Promise<InternalRequestReviewDto> {
    const result = await this.requests.approve(id);
    const request = decided(result, 'approve');
    await this.events.record(
      'internal_request.approved',
      { clientId: request.clientId, subject: id, ...who(reviewer) },
      reviewer.transport,
    );
    return toReviewDto(request);
  }

  async reject(
    id: string,
    reason: string | undefined,
    reviewer: Reviewer,
  ): Promise<InternalRequestReviewDto> {
    const result = await this.requests.reject(id);
    const request = decided(result, 'reject');
    await this.events.record(
      'internal_request.rejected',
      {
        clientId: request.clientId,
        subject: id,
        ...(reason !== undefined ? { reason: reason.trim() } : {}),
        ...who(reviewer),
      },
      reviewer.transport,
    );
    return toReviewDto(request);
  }
}

function decided(result: ReviewResult, action: 'approve' | 'reject'): InternalRequest {
  if (!result.changed) {
    const status = statusOf(result.request.status);
    throw new GatehouseError('internal_request_not_pending', {
      detail: `Internal request ${result.request.id} is ${status}, not pending_review, so it cannot be ${action === 'approve' ? 'approved' : 'rejected'}.`,
    });
  }
  return result.request;
}

function who(reviewer: Reviewer): { actor: string; requestId?: string } {
  return {
    actor: reviewer.actor,
    ...(reviewer.requestId !== undefined ? { requestId: reviewer.requestId } : {}),
  };
}

/** Everything a reviewer needs to decide; the requester's name and email masked. */
export function toReviewDto(row: InternalRequest): InternalRequestReviewDto {
  const requester = requesterOf(row);
  const masked: ReviewRequesterDto = {
    ...(requester.name !== undefined ? { name: maskName(requester.name) } : {}),
    ...(requester.email !== undefined ? { email: maskEmail(requester.email) } : {}),
    ...(requester.team !== undefined ? { team: requester.team } : {}),
  };
  return {
    id: row.id,
    clientId: row.clientId,
    status: statusOf(row.status),
    type: row.type as InternalRequestType,
    summary: row.summary,
    description: row.description,
    priority: row.priority as InternalRequestPriority,
    requester: masked,
    relatedOrderNumber: row.relatedOrderNumber,
    relatedSku: row.relatedSku,
    conversationId: row.conversationId,
    ticketRef: row.ticketRef,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
