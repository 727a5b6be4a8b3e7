import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import type { InternalRequest } from '../../generated/sqlite/client.js';
import { TRANSACTION_OPTIONS, type Transaction } from '../../idempotency/idempotency.service.js';
import type { InternalRequestStatus } from './dto/internal-request.dto.js';

export interface NewInternalRequest {
  id: string;
  clientId: string;
  type: string;
  summary: string;
  description: string | null;
  priority: string;
  requester: Record<string, string>;
  relatedOrderNumber: string | null;
  relatedSku: string | null;
  conversationId: string | null;
  status: InternalRequestStatus;
  createdAt: Date;
}

/** Gatehouse's own record of internal requests (not the ticket system's). */
@Injectable()
export class InternalRequestsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tx: Transaction, request: NewInternalRequest): Promise<InternalRequest> {
    return tx.internalRequest.create({
      data: {
        ...request,
        requester: JSON.stringify(request.requester),
        updatedAt: request.createdAt,
      },
    });
  }

  findForClient(id: string, clientId: string): Promise<InternalRequest | null> {
    return this.prisma.internalRequest.findFirst({ where: { id, clientId } });
  }

  find(tx: Transaction, id: string): Promise<InternalRequest | null> {
    return tx.internalRequest.findUnique({ where: { id } });
  }

  /** Moves a request from one status to another; false when it was not in `from`. */
  async transition(
    tx: Transaction,
    id: string,
    from: InternalRequestStatus,
    to: InternalRequestStatus,
    at: Date,
    extra: { ticketRef?: string } = {},
  ): Promise<boolean> {
    const { count } = await tx.internalRequest.updateMany({
      where: { id, status: from },
      data: { status: to, updatedAt: at, ...extra },
    });
    return count === 1;
  }

  inTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work, TRANSACTION_OPTIONS);
  }
}
