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

/** A status move on PostgreSQL inside a direct transaction. */
const PG_TRANSITION = `UPDATE "Handoff" SET "status" = $1 WHERE "id" = $2 AND "status" = $3`;

/** Gatehouse's own record of handoffs to staff. */
@Injectable()
export class HandoffsRepository {
  private readonly direct: SqliteDirect | null;

  constructor(prisma: PrismaService) {
    this.direct = sqliteDirectOf(prisma);
  }

  async create(tx: Transaction, handoff: NewHandoff): Promise<Handoff> {
    const row: Handoff = { ...handoff, customerContact: JSON.stringify(handoff.customerContact) };
    if (this.direct) {
      // Inside the write's transaction on the embedded store: a prepared statement.
      this.direct.joinTransaction((db) => insertRow(db, 'Handoff', row));
      return row;
    }
    await pgInsertRow(requirePgTransaction(tx), 'Handoff', row);
    return row;
  }

  async transition(
    tx: Transaction,
    id: string,
    from: HandoffStatus,
    to: HandoffStatus,
  ): Promise<boolean> {
    const pg = pgTransactionOf(tx);
    if (pg) return (await pg.query(PG_TRANSITION, [to, id, from])).rowCount === 1;
    const { count } = await tx.handoff.updateMany({
      where: { id, status: from },
      data: { status: to },
    });
    return count === 1;
  }
}
