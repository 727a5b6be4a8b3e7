import { Injectable } from '@nestjs/common';
import { pgInsertRow } from '../../database/pg-direct.js';
import {
  pgTransactionOf,
  PrismaService,
  requirePgTransaction,
  sqliteDirectOf,
  type SqliteDirect,
} from '../../database/prisma.service.js';
import { insertRow } from '../../database/sqlite-sql.js';
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

/** Keyset position: the (createdAt, id) of the last row a page returned. */
export interface RequestPosition {
  createdAt: Date;
  id: string;
}

/** A status move on PostgreSQL inside a direct transaction (the ticket's receipt, when there is one). */
const PG_TRANSITION = `UPDATE "InternalRequest" SET "status" = $1, "updatedAt" = $2, "ticketRef" = COALESCE($3, "ticketRef") WHERE "id" = $4 AND "status" = $5`;

/** Gatehouse's own record of internal requests (not the ticket system's). */
@Injectable()
export class InternalRequestsRepository {
  private readonly direct: SqliteDirect | null;

  constructor(private readonly prisma: PrismaService) {
    this.direct = sqliteDirectOf(prisma);
  }

  async create(tx: Transaction, request: NewInternalRequest): Promise<InternalRequest> {
    const row: InternalRequest = {
      ...request,
      requester: JSON.stringify(request.requester),
      ticketRef: null,
      updatedAt: request.createdAt,
    };
    if (this.direct) {
      // Inside the write's transaction on the embedded store: a prepared statement.
      this.direct.joinTransaction((db) => insertRow(db, 'InternalRequest', row));
      return row;
    }
    await pgInsertRow(requirePgTransaction(tx), 'InternalRequest', row);
    return row;
  }

  findForClient(id: string, clientId: string): Promise<InternalRequest | null> {
    return this.prisma.internalRequest.findFirst({ where: { id, clientId } });
  }

  find(tx: Transaction, id: string): Promise<InternalRequest | null> {
    return tx.internalRequest.findUnique({ where: { id } });
  }

  /** Oldest first, then by id; `limit` rows after `after`, of one status or of all. */
  page(filter: {
    status: InternalRequestStatus | null;
    after: RequestPosition | null;
    limit: number;
  }): Promise<InternalRequest[]> {
    const { status, after, limit } = filter;
    return this.prisma.internalRequest.findMany({
      where: {
        ...(status ? { status } : {}),
        ...(after
          ? {
              OR: [
                { createdAt: { gt: after.createdAt } },
                { createdAt: after.createdAt, id: { gt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
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
    const pg = pgTransactionOf(tx);
    if (pg) {
      const { rowCount } = await pg.query(PG_TRANSITION, [
        to,
        at,
        extra.ticketRef ?? null,
        id,
        from,
      ]);
      return rowCount === 1;
    }
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
