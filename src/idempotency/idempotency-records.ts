import { isPgUniqueViolation, type PgDirect } from '../database/pg-direct.js';
import {
  pgDirectOf,
  pgTransactionOf,
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
/** Run as they are on both stores (pgStatement numbers the `?`). */
const SQL = {
  insertIfAbsent: `INSERT INTO "IdempotencyRecord" (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
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
 * The idempotency records, read and written through prepared statements on
 * the embedded SQLite store and named statements on PostgreSQL: every write
 * request runs these on its hot path. Prisma serves only before the SQLite
 * connection is open and for the purge.
 */
export class IdempotencyRecords {
  private readonly direct: SqliteDirect | null;
  private readonly pg: PgDirect | null;

  constructor(private readonly prisma: PrismaService) {
    this.direct = sqliteDirectOf(prisma);
    this.pg = pgDirectOf(prisma);
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
    if (this.pg) {
      const result = await this.pg.query(SQL.insertIfAbsent, [
        clientId,
        key,
        ...freshValues(fresh),
      ]);
      return result.rowCount === 1;
    }
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
    if (this.pg) {
      const { rows } = await this.pg.query<IdempotencyRecordRow>(SQL.find, [clientId, key]);
      return rows[0] ?? null;
    }
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
    if (this.pg) {
      const result = await this.pg.query(SQL.retake, [
        ...freshValues(fresh),
        clientId,
        key,
        status,
        createdAt,
      ]);
      return result.rowCount === 1;
    }
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
    const pg = pgTransactionOf(tx);
    if (pg) {
      const { rowCount } = await pg.query(SQL.complete, [
        status,
        responseBody,
        owner.clientId,
        owner.key,
        owner.requestHash,
        owner.createdAt,
      ]);
      return rowCount === 1;
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
    if (this.pg) {
      const { clientId, key, requestHash, createdAt } = owner;
      await this.pg.query(SQL.release, [clientId, key, requestHash, createdAt]);
      return;
    }
    await this.prisma.idempotencyRecord.deleteMany({ where: { ...owner, status: 'in_flight' } });
  }
}

/** A fresh record's values in COLUMNS order after the key. */
function freshValues(fresh: Fresh): unknown[] {
  return [
    fresh.requestHash,
    fresh.status,
    fresh.responseStatus,
    fresh.responseBody,
    fresh.createdAt,
    fresh.expiresAt,
  ];
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
    isSqliteUniqueViolation(error) ||
    isPgUniqueViolation(error)
  );
}
