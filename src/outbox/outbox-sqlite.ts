import type { Database } from 'better-sqlite3';
import {
  fromSqliteTime,
  fromSqliteTimeOrNull,
  prepared,
  toSqliteTime,
} from '../database/sqlite-sql.js';
import type { OutboxMessage } from '../generated/sqlite/client.js';

/**
 * The outbox worker's statements on the embedded SQLite store, as prepared
 * statements (outbox-postgres.ts has PostgreSQL's): the worker runs them for
 * every message every write produces.
 */

const COLUMNS =
  '"id", "topic", "aggregateId", "payload", "status", "attempts", "nextAttemptAt", "lockedBy", "lockedUntil", "lastError", "createdAt", "deliveredAt"';

/**
 * One statement claims the oldest due messages: nothing can take them in
 * between. Each branch reads the (status, nextAttemptAt) index in order and
 * stops at the limit; a single `WHERE pending OR expired-processing` had to
 * collect and sort every due message first, which under a backlog of
 * thousands made the claim a quarter of a lead's CPU.
 */
const DUE_ORDER = 'ORDER BY "nextAttemptAt", "createdAt", "id"';
const CLAIM = `UPDATE "OutboxMessage" SET "status" = 'processing', "lockedBy" = ?, "lockedUntil" = ?, "attempts" = "attempts" + 1
  WHERE "id" IN (
    SELECT "id" FROM (
      SELECT * FROM (SELECT "id", "nextAttemptAt", "createdAt" FROM "OutboxMessage"
        WHERE "status" = 'pending' AND "nextAttemptAt" <= ? ${DUE_ORDER} LIMIT ?)
      UNION ALL
      SELECT * FROM (SELECT "id", "nextAttemptAt", "createdAt" FROM "OutboxMessage"
        WHERE "status" = 'processing' AND "lockedUntil" < ? ${DUE_ORDER} LIMIT ?)
    ) ${DUE_ORDER} LIMIT ?)
  RETURNING ${COLUMNS}`;

const ACKNOWLEDGE = `UPDATE "OutboxMessage" SET "status" = 'delivered', "deliveredAt" = ?, "lockedBy" = NULL, "lockedUntil" = NULL, "lastError" = NULL
  WHERE "id" = ? AND "status" = 'processing' AND "lockedBy" = ?`;

interface Row {
  id: string;
  topic: string;
  aggregateId: string;
  payload: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export function claimDue(
  db: Database,
  claim: { workerId: string; now: Date; lockedUntil: Date; limit: number },
): OutboxMessage[] {
  const now = toSqliteTime(claim.now);
  const rows = prepared(db, CLAIM).all(
    claim.workerId,
    toSqliteTime(claim.lockedUntil),
    now,
    claim.limit,
    now,
    claim.limit,
    claim.limit,
  ) as Row[];
  return rows.map((row) => ({
    ...row,
    nextAttemptAt: fromSqliteTime(row.nextAttemptAt),
    lockedUntil: fromSqliteTimeOrNull(row.lockedUntil),
    createdAt: fromSqliteTime(row.createdAt),
    deliveredAt: fromSqliteTimeOrNull(row.deliveredAt),
  }));
}

/** Marks a claimed message delivered; false when this worker's claim was taken over. */
export function acknowledge(db: Database, id: string, workerId: string, at: Date): boolean {
  return prepared(db, ACKNOWLEDGE).run(toSqliteTime(at), id, workerId).changes === 1;
}
