import { Injectable } from '@nestjs/common';
import { pgInsertRow } from '../../database/pg-direct.js';
import {
  PrismaService,
  requirePgTransaction,
  sqliteDirectOf,
  type SqliteDirect,
} from '../../database/prisma.service.js';
import { fromSqliteTime, insertRow, prepared } from '../../database/sqlite-sql.js';
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

const COLUMNS = [
  'id',
  'clientId',
  'name',
  'email',
  'phone',
  'company',
  'interestSkus',
  'interestNote',
  'channel',
  'consent',
  'conversationId',
  'region',
  'assignedRepId',
  'createdAt',
] as const;
const COLUMN_LIST = COLUMNS.map((c) => `"${c}"`).join(', ');
const SQL = {
  byEmail: `SELECT ${COLUMN_LIST} FROM "Lead" WHERE "email" = ?`,
  byPhone: `SELECT ${COLUMN_LIST} FROM "Lead" WHERE "phone" = ?`,
  bump: `INSERT INTO "Counter" ("name", "value") VALUES (?, 1) ON CONFLICT ("name") DO UPDATE SET "value" = "Counter"."value" + 1 RETURNING "value"`,
};
const PG = {
  byContact: `SELECT ${COLUMN_LIST} FROM "Lead" WHERE "email" = $1 OR "phone" = $2 ORDER BY "email" = $1 DESC NULLS LAST LIMIT 1`,
};

type LeadRow = Omit<Lead, 'consent' | 'createdAt'> & { consent: number; createdAt: string };

/**
 * Gatehouse's own record of leads: the dedupe and assignment state (the CRM
 * gets a copy). Every method runs inside the lead's direct write transaction:
 * prepared statements on the embedded SQLite store, named ones on PostgreSQL.
 */
@Injectable()
export class LeadsRepository {
  private readonly direct: SqliteDirect | null;

  constructor(prisma: PrismaService) {
    this.direct = sqliteDirectOf(prisma);
  }

  /** The lead holding this normalised email, else the one holding this phone. */
  async findByContact(
    tx: Transaction,
    contact: { email: string | null; phone: string | null },
  ): Promise<Lead | null> {
    if (this.direct) {
      return this.direct.joinTransaction((db) => {
        const row = ((contact.email && prepared(db, SQL.byEmail).get(contact.email)) ||
          (contact.phone && prepared(db, SQL.byPhone).get(contact.phone)) ||
          null) as LeadRow | null;
        return (
          row && { ...row, consent: row.consent === 1, createdAt: fromSqliteTime(row.createdAt) }
        );
      });
    }
    if (contact.email === null && contact.phone === null) return null;
    const { rows } = await requirePgTransaction(tx).query<Lead>(PG.byContact, [
      contact.email,
      contact.phone,
    ]);
    return rows[0] ?? null;
  }

  /**
   * This lead's place in the assignment rotation: how many leads were created
   * before it. Bumped in the lead's own transaction, so a rolled-back lead
   * gives its place back, and concurrent creations never share one.
   */
  async nextAssignmentPosition(tx: Transaction): Promise<number> {
    if (this.direct) {
      return this.direct.joinTransaction(
        (db) => (prepared(db, SQL.bump).get(ASSIGNMENT_COUNTER) as { value: number }).value - 1,
      );
    }
    const { rows } = await requirePgTransaction(tx).query<{ value: number }>(SQL.bump, [
      ASSIGNMENT_COUNTER,
    ]);
    return (rows[0]?.value ?? 1) - 1;
  }

  async create(tx: Transaction, lead: NewLead): Promise<Lead> {
    const row: Lead = { ...lead, interestSkus: lead.interestSkus.join(',') };
    if (this.direct) {
      this.direct.joinTransaction((db) => insertRow(db, 'Lead', row));
      return row;
    }
    await pgInsertRow(requirePgTransaction(tx), 'Lead', row);
    return row;
  }
}
