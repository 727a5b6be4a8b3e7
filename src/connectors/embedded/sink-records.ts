import { randomId } from '../../clients/credential-hasher.js';
import { PrismaService, pgDirectOf, sqliteDirectOf } from '../../database/prisma.service.js';
import { prepared, toSqliteTime } from '../../database/sqlite-sql.js';
import type { SinkDelivery, SinkReceipt } from '../ports/sinks.port.js';

/** Run as they are on both stores (pgStatement numbers the `?`). */
const INSERT = `INSERT INTO "EmbeddedSinkRecord" ("messageId", "sink", "reference", "payload", "receivedAt") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("messageId") DO NOTHING RETURNING "reference"`;
const REFERENCE = `SELECT "reference" FROM "EmbeddedSinkRecord" WHERE "messageId" = ?`;

/**
 * Records what an embedded sink (tickets, CRM, notifications) received, keyed
 * by the outbox message id: a redelivery returns the reference created the
 * first time instead of creating a second record.
 */
export async function recordSinkDelivery(
  prisma: PrismaService,
  sink: string,
  referencePrefix: string,
  { messageId, payload }: SinkDelivery,
  receivedAt: Date,
): Promise<SinkReceipt> {
  const reference = `${referencePrefix}-${randomId(8).toUpperCase()}`;
  // Joins the next group commit: concurrent deliveries share one fsync.
  // A redelivery inserts nothing; it reads the reference the first delivery stored.
  const direct = sqliteDirectOf(prisma)?.transactionSync(
    (db) =>
      (prepared(db, INSERT).get(
        messageId,
        sink,
        reference,
        JSON.stringify(payload),
        toSqliteTime(receivedAt),
      ) ?? prepared(db, REFERENCE).get(messageId)) as { reference: string },
  );
  if (direct) return direct;
  const pg = pgDirectOf(prisma);
  if (pg) {
    const values = [messageId, sink, reference, JSON.stringify(payload), receivedAt];
    const inserted = (await pg.query<{ reference: string }>(INSERT, values)).rows[0];
    const stored =
      inserted ?? (await pg.query<{ reference: string }>(REFERENCE, [messageId])).rows[0];
    if (!stored) throw new Error('the sink record vanished after its insert');
    return { reference: stored.reference };
  }
  const record = await prisma.embeddedSinkRecord.upsert({
    where: { messageId },
    create: { messageId, sink, reference, payload: JSON.stringify(payload), receivedAt },
    update: {},
  });
  return { reference: record.reference };
}
