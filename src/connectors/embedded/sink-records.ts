import { randomId } from '../../clients/credential-hasher.js';
import { PrismaService, pgDirectOf, sqliteDirectOf } from '../../database/prisma.service.js';
import { prepared, toSqliteTime } from '../../database/sqlite-sql.js';
import type { SinkDelivery, SinkReceipt } from '../ports/sinks.port.js';

const INSERT = `INSERT INTO "EmbeddedSinkRecord" ("messageId", "sink", "reference", "payload", "receivedAt") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("messageId") DO NOTHING`;
const REFERENCE = `SELECT "reference" FROM "EmbeddedSinkRecord" WHERE "messageId" = ?`;
const PG_INSERT = `INSERT INTO "EmbeddedSinkRecord" ("messageId", "sink", "reference", "payload", "receivedAt") VALUES ($1, $2, $3, $4, $5) ON CONFLICT ("messageId") DO NOTHING`;
const PG_REFERENCE = `SELECT "reference" FROM "EmbeddedSinkRecord" WHERE "messageId" = $1`;

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
  const direct = sqliteDirectOf(prisma)?.transactionSync((db) => {
    prepared(db, INSERT).run(
      messageId,
      sink,
      reference,
      JSON.stringify(payload),
      toSqliteTime(receivedAt),
    );
    return prepared(db, REFERENCE).get(messageId) as { reference: string };
  });
  if (direct) return direct;
  const pg = pgDirectOf(prisma);
  if (pg) {
    const values = [messageId, sink, reference, JSON.stringify(payload), receivedAt];
    await pg.query(PG_INSERT, values);
    const { rows } = await pg.query<{ reference: string }>(PG_REFERENCE, [messageId]);
    if (!rows[0]) throw new Error('the sink record vanished after its insert');
    return { reference: rows[0].reference };
  }
  const record = await prisma.embeddedSinkRecord.upsert({
    where: { messageId },
    create: { messageId, sink, reference, payload: JSON.stringify(payload), receivedAt },
    update: {},
  });
  return { reference: record.reference };
}
