import { Clock } from '../common/clock.js';
import { PrismaService } from '../database/prisma.service.js';
import { OUTBOX_OPEN_STATUSES, type OutboxOpenStatus } from './outbox-admin.dto.js';
import type { OutboxTopic } from './outbox.types.js';

/** An outbox message as an operator sees it: never its payload, which may hold personal data. */
export interface OutboxMessageView {
  id: string;
  topic: string;
  aggregateId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
}

export interface OutboxRetryResult {
  /** Dead messages now pending again, due at once. */
  requeued: string[];
  /** Named messages left alone: not dead (any more), or `not_found`. */
  skipped: { id: string; status: string }[];
}

export type OutboxRetryTarget = { ids: string[] } | { allDead: true; topic?: OutboxTopic };

const VIEW = {
  id: true,
  topic: true,
  aggregateId: true,
  status: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  nextAttemptAt: true,
} as const;

/**
 * Operator access to the outbox (the `gatehouse outbox` CLI): list what has
 * not been delivered and resend dead letters once the core system is fixed.
 * Through Prisma on either store; this is not a hot path.
 */
export class OutboxAdminService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
  ) {}

  /** Undelivered messages, oldest first, and how many match in all. */
  async list(query: {
    status?: OutboxOpenStatus;
    topic?: OutboxTopic;
    limit: number;
  }): Promise<{ messages: OutboxMessageView[]; total: number }> {
    const where = {
      status: query.status ?? { in: [...OUTBOX_OPEN_STATUSES] },
      ...(query.topic ? { topic: query.topic } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.outboxMessage.findMany({
        where,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: query.limit,
        select: VIEW,
      }),
      this.prisma.outboxMessage.count({ where }),
    ]);
    const messages = rows.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      nextAttemptAt: row.nextAttemptAt.toISOString(),
    }));
    return { messages, total };
  }

  /**
   * Moves dead messages back to pending with a fresh budget of attempts, due
   * now. One conditional update: a message is requeued only if it is still
   * dead, so two operators retrying at once queue it once (and the sinks are
   * idempotent on the message id besides). `lastError` stays until the next
   * attempt, as the reason it had died.
   */
  async retry(target: OutboxRetryTarget): Promise<OutboxRetryResult> {
    const named = 'ids' in target ? [...new Set(target.ids)] : null;
    const topic = 'topic' in target ? target.topic : undefined;
    const where = named
      ? { id: { in: named }, status: 'dead' }
      : { status: 'dead', ...(topic ? { topic } : {}) };
    const rows = await this.prisma.outboxMessage.updateManyAndReturn({
      where,
      data: {
        status: 'pending',
        attempts: 0,
        nextAttemptAt: this.clock.now(),
        lockedBy: null,
        lockedUntil: null,
      },
      select: { id: true },
    });
    const requeued = rows.map((row) => row.id).sort();
    if (!named) return { requeued, skipped: [] };
    const done = new Set(requeued);
    const rest = named.filter((id) => !done.has(id));
    const found = new Map(
      (
        await this.prisma.outboxMessage.findMany({
          where: { id: { in: rest } },
          select: { id: true, status: true },
        })
      ).map((row) => [row.id, row.status]),
    );
    return {
      requeued,
      skipped: rest.map((id) => ({ id, status: found.get(id) ?? 'not_found' })),
    };
  }
}
