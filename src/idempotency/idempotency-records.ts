import {
  sqliteDirectOf,
  type PrismaService,
  type SqliteDirect,
} from '../database/prisma.service.js';
import {
  fromSqliteTime,
  insertRow,
  isSqliteUniqueViolation,
  prepared,
  toSqliteTime,
} from '../database/sqlite-sql.js';
import { Prisma } from '../generated/sqlite/client.js';

export type Transaction = Prisma.TransactionClient;

export interface IdempotencyRecordRow {
  clientId: string;
  key: string;
  requestHash: string;
  status: string;
  responseStatus: number | null;
  responseBody: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** What identifies the request that holds an in-flight marker. */
export interface MarkerOwner {
  clientId: string;
  key: string;
  requestHash: string;
  createdAt: Date;
}

type Fresh = Omit<IdempotencyRecordRow, 'clientId' | 'key'>;

const COLUMNS =
  '"clientId", "key", "requestHash", "status", "responseStatus", "responseBody", "createdAt", "expiresAt"';
const SQL = {
  find: `SELECT ${COLUMNS} FROM "IdempotencyRecord" WHERE "clientId" = ? AND "key" = ?`,
  retake: `UPDATE "IdempotencyRecord" SET "requestHash" = ?, "status" = ?, "responseStatus" = ?, "responseBody" = ?, "createdAt" = ?, "expiresAt" = ? WHERE "clientId" = ? AND "key" = ? AND "status" = ? AND "createdAt" = ?`,
  complete: `UPDATE "IdempotencyRecord" SET "status" = 'completed', "responseStatus" = ?, "responseBody" = ? WHERE "clientId" = ? AND "key" = ? AND "requestHash" = ? AND "createdAt" = ? AND "status" = 'in_flight'`,
  release: `DELETE FROM "IdempotencyRecord" WHERE "clientId" = ? AND "key" = ? AND "requestHash" = ? AND "createdAt" = ? AND "status" = 'in_flight'`,
};

interface SqliteRow extends Omit<IdempotencyRecordRow, 'createdAt' | 'expiresAt'> {
  createdAt: string;
  expiresAt: string;
}

/**
 * The idempotency records, read and written through Prisma on PostgreSQL and
 * through prepared statements on the embedded SQLite store, where every write
 * request runs these on its hot path.
 */
export class IdempotencyRecords {
  private readonly direct: SqliteDirect | null;

  constructor(private readonly prisma: PrismaService) {
    this.direct = sqliteDirectOf(prisma);
  }

  /**
   * Inserts the record; false when the (client, key) pair already has one.
   * On SQLite the insert joins the next group commit, so the markers of
   * concurrent writes share one fsync; each is committed before it returns.
   */
  async insert(clientId: string, key: string, fresh: Fresh): Promise<boolean> {
    const inserted = this.direct?.transactionSync((db) => {
      try {
        insertRow(db, 'IdempotencyRecord', { clientId, key, ...fresh });
        return true;
      } catch (error) {
        if (isSqliteUniqueViolation(error)) return false;
        throw error;
      }
    });
    if (inserted) return inserted;
    try {
      await this.prisma.idempotencyRecord.create({ data: { clientId, key, ...fresh } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async find(clientId: string, key: string): Promise<IdempotencyRecordRow | null> {
    const direct = this.direct?.exclusive((db) => {
      const row = prepared(db, SQL.find).get(clientId, key) as SqliteRow | undefined;
      return row ? fromRow(row) : null;
    });
    if (direct) return direct;
    return this.prisma.idempotencyRecord.findUnique({ where: { clientId_key: { clientId, key } } });
  }

  /** Replaces an expired or abandoned record, if it is still the one that was read. */
  async retake(
    existing: Pick<IdempotencyRecordRow, 'clientId' | 'key' | 'status' | 'createdAt'>,
    fresh: Fresh,
  ): Promise<boolean> {
    const { clientId, key, status, createdAt } = existing;
    const direct = this.direct?.exclusive(
      (db) =>
        prepared(db, SQL.retake).run(
          fresh.requestHash,
          fresh.status,
          fresh.responseStatus,
          fresh.responseBody,
          toSqliteTime(fresh.createdAt),
          toSqliteTime(fresh.expiresAt),
          clientId,
          key,
          status,
          toSqliteTime(createdAt),
        ).changes === 1,
    );
    if (direct) return direct;
    const { count } = await this.prisma.idempotencyRecord.updateMany({
      where: { clientId, key, status, createdAt },
      data: fresh,
    });
    return count === 1;
  }

  /** Stores the response in the write's transaction; false when the marker was taken over. */
  async complete(
    tx: Transaction,
    owner: MarkerOwner,
    status: number,
    responseBody: string,
  ): Promise<boolean> {
    if (this.direct) {
      return this.direct.joinTransaction(
        (db) =>
          prepared(db, SQL.complete).run(status, responseBody, ...ownerValues(owner)).changes === 1,
      );
    }
    const { count } = await tx.idempotencyRecord.updateMany({
      where: { ...owner, status: 'in_flight' },
      data: { status: 'completed', responseStatus: status, responseBody },
    });
    return count === 1;
  }

  /** Deletes the in-flight marker of a write that failed, so a retry can run. */
  async release(owner: MarkerOwner): Promise<void> {
    const direct = this.direct?.exclusive((db) => {
      prepared(db, SQL.release).run(...ownerValues(owner));
    });
    if (direct) return direct;
    await this.prisma.idempotencyRecord.deleteMany({ where: { ...owner, status: 'in_flight' } });
  }
}

function ownerValues(owner: MarkerOwner): unknown[] {
  return [owner.clientId, owner.key, owner.requestHash, toSqliteTime(owner.createdAt)];
}

function fromRow(row: SqliteRow): IdempotencyRecordRow {
  return {
    ...row,
    createdAt: fromSqliteTime(row.createdAt),
    expiresAt: fromSqliteTime(row.expiresAt),
  };
}

/** A UNIQUE violation, from Prisma or from a prepared statement on the embedded store. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') ||
    isSqliteUniqueViolation(error)
  );
}
