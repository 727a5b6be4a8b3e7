import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import type { InternalRequest } from '../../generated/sqlite/client.js';
import { OutboxService } from '../../outbox/outbox.service.js';
import type { InternalRequestStatus } from './dto/internal-request.dto.js';
import { ticketMessage } from './internal-request.mapper.js';
import { InternalRequestsRepository, type RequestPosition } from './requests.repository.js';

export interface ReviewResult {
  /** False when the request was not waiting for review: `request` shows where it is instead. */
  changed: boolean;
  request: InternalRequest;
}

/**
 * The staff side of internal requests: the review queue and the decisions on
 * requests a client's policy held (pending_review). Each decision is one
 * conditional status change, so two reviewers deciding at once cannot both win
 * and a request is never enqueued twice.
 */
@Injectable()
export class InternalRequestsReviewService {
  constructor(
    private readonly repository: InternalRequestsRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  page(
    status: InternalRequestStatus | null,
    after: RequestPosition | null,
    limit: number,
  ): Promise<InternalRequest[]> {
    return this.repository.page({ status, after, limit });
  }

  /** pending_review -> queued, and the ticket enters the outbox in the same transaction. */
  approve(id: string): Promise<ReviewResult> {
    return this.decide(id, 'queued');
  }

  /** pending_review -> rejected; nothing reaches the ticket system. */
  reject(id: string): Promise<ReviewResult> {
    return this.decide(id, 'rejected');
  }

  private decide(id: string, to: 'queued' | 'rejected'): Promise<ReviewResult> {
    return this.repository.inTransaction(async (tx) => {
      const changed = await this.repository.transition(
        tx,
        id,
        'pending_review',
        to,
        this.clock.now(),
      );
      const row = await this.repository.find(tx, id);
      if (!row) {
        throw new GatehouseError('internal_request_not_found', {
          detail: `There is no internal request ${id}.`,
          agentHint: 'Check the id with GET /v1/admin/internal-requests.',
        });
      }
      if (changed && to === 'queued') await this.outbox.enqueue(tx, ticketMessage(row));
      return { changed, request: row };
    });
  }
}
