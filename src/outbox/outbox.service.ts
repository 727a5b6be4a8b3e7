import { Injectable } from '@nestjs/common';
import { timeOrderedUuid } from '../common/ids/time-ordered-uuid.js';
import { Clock } from '../common/clock.js';
import { pgInsertRows } from '../database/pg-direct.js';
import {
  pgTransactionOf,
  PrismaService,
  sqliteDirectOf,
  type SqliteDirect,
} from '../database/prisma.service.js';
import { insertRow } from '../database/sqlite-sql.js';
import type { Transaction } from '../idempotency/idempotency.service.js';
import type { OutboxEntry, OutboxHandler, OutboxTopic } from './outbox.types.js';

/**
 * The write side of the durable outbox: messages are inserted in the same
 * transaction as the record they describe, so a write is never committed
 * without its delivery, nor delivered without being committed.
 */
@Injectable()
export class OutboxService {
  private readonly handlers = new Map<OutboxTopic, OutboxHandler>();
  private readonly direct: SqliteDirect | null;

  constructor(
    private readonly clock: Clock,
    prisma: PrismaService,
  ) {
    this.direct = sqliteDirectOf(prisma);
  }

  /** Adds a message inside the caller's transaction; returns its id (the sink's messageId). */
  async enqueue(tx: Transaction, entry: OutboxEntry): Promise<string> {
    const [id] = await this.enqueueAll(tx, [entry]);
    return id;
  }

  /** Adds several messages inside the caller's transaction, in one statement on PostgreSQL. */
  async enqueueAll(tx: Transaction, entries: readonly OutboxEntry[]): Promise<string[]> {
    const now = this.clock.now();
    const rows = entries.map((entry) => ({
      // Time-ordered, so new rows (and their sink records) append to the primary-key index.
      id: `msg_${timeOrderedUuid()}`,
      topic: entry.topic,
      aggregateId: entry.aggregateId,
      payload: JSON.stringify(entry.payload),
      status: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    }));
    // The embedded store's hot path: prepared statements in the same transaction.
    if (this.direct) {
      this.direct.joinTransaction((db) => {
        for (const row of rows) insertRow(db, 'OutboxMessage', row);
      });
    } else {
      const pg = pgTransactionOf(tx);
      if (pg) await pgInsertRows(pg, 'OutboxMessage', rows);
      else await tx.outboxMessage.createMany({ data: rows });
    }
    return rows.map((row) => row.id);
  }

  register(topic: OutboxTopic, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`outbox topic ${topic} already has a handler`);
    this.handlers.set(topic, handler);
  }

  handlerFor(topic: string): OutboxHandler | undefined {
    return this.handlers.get(topic as OutboxTopic);
  }
}
