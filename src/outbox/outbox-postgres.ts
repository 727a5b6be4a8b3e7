import type { PgQueryable } from '../database/pg-direct.js';
import type { OutboxMessage } from '../generated/sqlite/client.js';

/**
 * The outbox worker's hot statements on PostgreSQL, as named statements
 * instead of Prisma queries (docs/benchmarks.md): the worker runs them for
 * every message every write produces.
 */

const COLUMNS =
  '"id", "topic", "aggregateId", "payload", "status", "attempts", "nextAttemptAt", "lockedBy", "lockedUntil", "lastError", "createdAt", "deliveredAt"';

/**
 * One statement claims the oldest due messages. SKIP LOCKED lets the workers
 * of every instance claim side by side: a row another worker is claiming is
 * passed over instead of waited for, and a row it claimed meanwhile no longer
 * matches once re-checked under the lock.
 */
const CLAIM = `UPDATE "OutboxMessage" SET "status" = 'processing', "lockedBy" = $1, "lockedUntil" = $2, "attempts" = "attempts" + 1
  WHERE "id" IN (
    SELECT "id" FROM "OutboxMessage"
    WHERE ("status" = 'pending' AND "nextAttemptAt" <= $3) OR ("status" = 'processing' AND "lockedUntil" < $3)
    ORDER BY "nextAttemptAt", "createdAt", "id"
    LIMIT $4
    FOR UPDATE SKIP LOCKED)
  RETURNING ${COLUMNS}`;

const ACKNOWLEDGE = `UPDATE "OutboxMessage" SET "status" = 'delivered', "deliveredAt" = $1, "lockedBy" = NULL, "lockedUntil" = NULL, "lastError" = NULL
  WHERE "id" = ANY($2::text[]) AND "status" = 'processing' AND "lockedBy" = $3`;

export async function claimDuePg(
  pg: PgQueryable,
  claim: { workerId: string; now: Date; lockedUntil: Date; limit: number },
): Promise<OutboxMessage[]> {
  const { rows } = await pg.query<OutboxMessage>(CLAIM, [
    claim.workerId,
    claim.lockedUntil,
    claim.now,
    claim.limit,
  ]);
  return rows;
}

/** Marks claimed messages delivered, except those whose claim another worker took over. */
export async function acknowledgePg(
  pg: PgQueryable,
  ids: string[],
  workerId: string,
  at: Date,
): Promise<void> {
  await pg.query(ACKNOWLEDGE, [at, ids, workerId]);
}

const MARK_DELIVERED = `UPDATE "OutboxMessage" SET "status" = 'delivered', "deliveredAt" = $1, "lockedBy" = NULL, "lockedUntil" = NULL, "lastError" = NULL
  WHERE "id" = $2 AND "status" = 'processing' AND "lockedBy" = $3`;

const FAIL = `UPDATE "OutboxMessage" SET "status" = $1, "lastError" = $2, "lockedBy" = NULL, "lockedUntil" = NULL, "nextAttemptAt" = COALESCE($3, "nextAttemptAt")
  WHERE "id" = $4 AND "status" = 'processing' AND "lockedBy" = $5`;

const RELEASE = `UPDATE "OutboxMessage" SET "status" = 'pending', "lockedBy" = NULL, "lockedUntil" = NULL, "attempts" = "attempts" - 1
  WHERE "id" = ANY($1::text[]) AND "status" = 'processing' AND "lockedBy" = $2`;

/** Marks one claimed message delivered inside the caller's transaction; false when the claim was taken over. */
export async function markDeliveredPg(
  pg: PgQueryable,
  id: string,
  workerId: string,
  at: Date,
): Promise<boolean> {
  return (await pg.query(MARK_DELIVERED, [at, id, workerId])).rowCount === 1;
}

/** Records a failed attempt: dead, or pending again from `retryAt`. */
export async function recordFailurePg(
  pg: PgQueryable,
  failure: { id: string; workerId: string; lastError: string; retryAt: Date | null },
): Promise<void> {
  const status = failure.retryAt ? 'pending' : 'dead';
  await pg.query(FAIL, [status, failure.lastError, failure.retryAt, failure.id, failure.workerId]);
}

/** Gives back claimed messages that were never started; the claim does not count as an attempt. */
export async function releasePg(pg: PgQueryable, ids: string[], workerId: string): Promise<void> {
  await pg.query(RELEASE, [ids, workerId]);
}
