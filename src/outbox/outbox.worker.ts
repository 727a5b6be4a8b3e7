import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Clock } from '../common/clock.js';
import type { UpstreamCall } from '../common/http/request-context.js';
import { Observers } from '../common/observers.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PermanentDeliveryError, type SinkReceipt } from '../connectors/ports/sinks.port.js';
import type { PgDirect } from '../database/pg-direct.js';
import {
  pgDirectOf,
  pgStandIn,
  pgTransactionOf,
  PrismaService,
  sqliteDirectOf,
  type SqliteDirect,
} from '../database/prisma.service.js';
import type { OutboxMessage } from '../generated/sqlite/client.js';
import { TRANSACTION_OPTIONS, type Transaction } from '../idempotency/idempotency.service.js';
import { describeFailure, isPermanent, retryDelayAfter } from './outbox-retry.js';
import {
  acknowledgePg,
  claimDuePg,
  markDeliveredPg,
  recordFailurePg,
  releasePg,
} from './outbox-postgres.js';
import { acknowledge, claimDue } from './outbox-sqlite.js';
import { OutboxService } from './outbox.service.js';
import type { OutboxHandler } from './outbox.types.js';

export const OUTBOX_BATCH_SIZE = 10;

/** How long a claim holds at least; a row still `processing` after that is reclaimed (crash recovery). */
export const OUTBOX_LOCK_MS = 30_000;
/** Upstream calls a delivery makes (Odoo: login, search, create; Jira: search, create), with room. */
const CALLS_PER_DELIVERY = 4;

/**
 * How long one delivery may take: each call is bounded by UPSTREAM_TIMEOUT_MS
 * per attempt, and the searches that find an earlier copy are retried like
 * reads. A delivery is started only while this still fits in the claim, and
 * the claim always fits one, so no other worker reclaims a message while it
 * is being delivered (and an acknowledgement checks the claim is still held).
 */
export function deliveryBudgetMs(config: AppConfig): number {
  const { timeoutMs, readRetries } = config.connectors.upstream;
  return CALLS_PER_DELIVERY * (readRetries + 1) * timeoutMs;
}

/** The claim's length: OUTBOX_LOCK_MS, or longer when one delivery may take longer. */
export function claimLockMs(config: AppConfig): number {
  return Math.max(OUTBOX_LOCK_MS, deliveryBudgetMs(config) + 5_000);
}

/** One delivery attempt, as the metrics count it. */
export interface DeliveryReport {
  topic: string;
  /** `retry`: failed and scheduled again; `dead`: failed for good (dead-lettered). */
  outcome: 'delivered' | 'retry' | 'dead';
  /** The core-system calls the attempt made. */
  upstream: UpstreamCall[];
}

/**
 * Delivers outbox rows to the core systems. Safe with several instances on
 * one database: a row is claimed by a conditional update, so exactly one
 * worker holds it; a claim that outlives its lock (a crashed process) is
 * taken over. Sinks are idempotent on the message id, so the redelivery that
 * follows a crash between send and acknowledge creates nothing twice.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly logger = new Logger(OutboxWorker.name);
  private readonly batches = new Set<Promise<number>>();
  // Metrics must never disturb a delivery or its acknowledgement.
  private readonly observers = new Observers<DeliveryReport>((error) =>
    this.logger.warn(`delivery observer failed: ${describeFailure(error)}`),
  );
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private readonly direct: SqliteDirect | null;
  private readonly pg: PgDirect | null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.direct = sqliteDirectOf(prisma);
    this.pg = pgDirectOf(prisma);
  }

  onApplicationBootstrap(): void {
    if (this.config.outbox.enabled) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.poll();
  }

  /**
   * Stops polling and waits for the batch in progress: the message being sent
   * is finished and acknowledged, claims not yet started go back to pending.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.batches]);
    this.loop = null;
  }

  /** Processes batches until nothing is due. Returns how many messages were handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.runBatch();
      if (handled === 0) return total;
      total += handled;
    }
  }

  private async poll(): Promise<void> {
    this.logger.log(`outbox worker ${this.workerId} started`);
    while (!this.stopping) {
      let handled = 0;
      try {
        handled = await this.runBatch();
      } catch (error) {
        this.logger.error(`outbox batch failed: ${describeFailure(error)}`);
      }
      if (handled === 0) await this.sleep(this.config.outbox.pollMs);
    }
    this.logger.log(`outbox worker ${this.workerId} stopped`);
  }

  private runBatch(): Promise<number> {
    const batch = this.processBatch();
    this.batches.add(batch);
    const forget = (): void => {
      this.batches.delete(batch);
    };
    batch.then(forget, forget);
    return batch;
  }

  private async processBatch(): Promise<number> {
    if (this.stopping) return 0;
    const { claimed, lockedUntil } = await this.claim();
    // Messages that need nothing else updated are acknowledged together
    // after the batch: one statement (and commit) instead of one each.
    const delivered: OutboxMessage[] = [];
    const unstarted: OutboxMessage[] = [];
    const budget = deliveryBudgetMs(this.config);
    let handled = 0;
    try {
      await deliverInLanes(claimed, this.config.outbox.concurrency, async (message) => {
        // Stopping, or too late to finish before the claim ends: back to pending, untouched.
        if (this.stopping || this.clock.now().getTime() + budget > lockedUntil.getTime()) {
          unstarted.push(message);
          return;
        }
        await this.process(message, delivered);
        handled += 1;
      });
      await this.release(unstarted);
      return handled;
    } finally {
      await this.acknowledgeAll(delivered);
    }
  }

  private async claim(): Promise<{ claimed: OutboxMessage[]; lockedUntil: Date }> {
    const now = this.clock.now();
    const lockedUntil = new Date(now.getTime() + claimLockMs(this.config));
    return { claimed: await this.claimUntil(now, lockedUntil), lockedUntil };
  }

  private async claimUntil(now: Date, lockedUntil: Date): Promise<OutboxMessage[]> {
    // Joins the next group commit on SQLite: the claim shares its fsync with concurrent writes.
    const direct = this.direct?.transactionSync((db) =>
      claimDue(db, { workerId: this.workerId, now, lockedUntil, limit: OUTBOX_BATCH_SIZE }),
    );
    if (direct) return (await direct).sort(deliveryOrder);
    if (this.pg) {
      const claim = { workerId: this.workerId, now, lockedUntil, limit: OUTBOX_BATCH_SIZE };
      return (await claimDuePg(this.pg, claim)).sort(deliveryOrder);
    }
    const due = {
      OR: [
        { status: 'pending', nextAttemptAt: { lte: now } },
        { status: 'processing', lockedUntil: { lt: now } },
      ],
    };
    const candidates = await this.prisma.outboxMessage.findMany({
      where: due,
      orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      take: OUTBOX_BATCH_SIZE,
      select: { id: true },
    });
    if (candidates.length === 0) return [];
    // One conditional update claims every candidate still due: a row another
    // worker took in between no longer matches and is left out.
    const claimed = await this.prisma.outboxMessage.updateManyAndReturn({
      where: { id: { in: candidates.map((c) => c.id) }, ...due },
      data: {
        status: 'processing',
        lockedBy: this.workerId,
        lockedUntil,
        attempts: { increment: 1 },
      },
    });
    return claimed.sort(deliveryOrder);
  }

  /** Calls `observer` after every delivery attempt (the metrics; the worker knows nothing of them). */
  observe(observer: (report: DeliveryReport) => void): void {
    this.observers.add(observer);
  }

  private async process(message: OutboxMessage, delivered: OutboxMessage[]): Promise<void> {
    const upstream: UpstreamCall[] = [];
    let outcome: DeliveryReport['outcome'];
    try {
      const handler = this.outbox.handlerFor(message.topic);
      if (!handler) throw new PermanentDeliveryError(`no handler for topic ${message.topic}`);
      if (message.attempts > this.config.outbox.maxAttempts) {
        // Only reachable when workers kept stopping mid-delivery (attempts count claims).
        throw new PermanentDeliveryError('gave up: delivery was interrupted too often');
      }
      const receipt = await handler.deliver(
        { messageId: message.id, payload: parsePayload(message.payload) },
        upstream,
      );
      if ((this.direct || this.pg) && !handler.onDelivered) delivered.push(message);
      else await this.acknowledge(message, handler, receipt);
      outcome = 'delivered';
    } catch (error) {
      outcome = (await this.recordFailure(message, error)) ? 'dead' : 'retry';
    }
    this.observers.notify({ topic: message.topic, outcome, upstream });
  }

  private async acknowledge(
    message: OutboxMessage,
    handler: OutboxHandler,
    receipt: SinkReceipt,
  ): Promise<void> {
    const acknowledge = async (tx: Transaction): Promise<void> => {
      // Lock lost to a worker that reclaimed the row: that worker acknowledges it.
      if (!(await this.markDelivered(tx, message, this.clock.now()))) return;
      await handler.onDelivered?.(tx, message.aggregateId, receipt);
    };
    if (this.pg) await this.pg.transaction((tx) => acknowledge(pgStandIn(tx) as Transaction));
    else await this.prisma.$transaction(acknowledge, TRANSACTION_OPTIONS);
  }

  /**
   * Acknowledges delivered messages together: in one transaction in the next
   * group commit on the embedded store, in one statement on PostgreSQL. If
   * that fails, their claims expire and they are delivered again, which the
   * sinks, idempotent on the message id, turn into no-ops.
   */
  private async acknowledgeAll(messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const at = this.clock.now();
    try {
      const direct = this.direct?.transactionSync((db) => {
        for (const message of messages) acknowledge(db, message.id, this.workerId, at);
      });
      if (direct) await direct;
      else if (this.pg) {
        const ids = messages.map((m) => m.id);
        await acknowledgePg(this.pg, ids, this.workerId, at);
      }
    } catch (error) {
      this.logger.error(
        `could not acknowledge ${messages.length} delivered outbox message(s): ${describeFailure(error)}`,
      );
    }
  }

  private async markDelivered(tx: Transaction, message: OutboxMessage, at: Date): Promise<boolean> {
    if (this.direct) {
      return this.direct.joinTransaction((db) => acknowledge(db, message.id, this.workerId, at));
    }
    const pg = pgTransactionOf(tx);
    if (pg) return markDeliveredPg(pg, message.id, this.workerId, at);
    const { count } = await tx.outboxMessage.updateMany({
      where: { id: message.id, status: 'processing', lockedBy: this.workerId },
      data: {
        status: 'delivered',
        deliveredAt: at,
        lockedBy: null,
        lockedUntil: null,
        lastError: null,
      },
    });
    return count === 1;
  }

  /** True when the message was dead-lettered. */
  private async recordFailure(message: OutboxMessage, error: unknown): Promise<boolean> {
    const lastError = describeFailure(error);
    const dead = isPermanent(error) || message.attempts >= this.config.outbox.maxAttempts;
    const now = this.clock.now();
    const retryAt = dead
      ? null
      : new Date(now.getTime() + retryDelayAfter(error, message.attempts));
    try {
      if (this.pg) {
        const failure = { id: message.id, workerId: this.workerId, lastError, retryAt };
        await recordFailurePg(this.pg, failure);
      } else {
        await this.prisma.outboxMessage.updateMany({
          where: { id: message.id, status: 'processing', lockedBy: this.workerId },
          data: retryAt
            ? {
                status: 'pending',
                lastError,
                lockedBy: null,
                lockedUntil: null,
                nextAttemptAt: retryAt,
              }
            : { status: 'dead', lastError, lockedBy: null, lockedUntil: null },
        });
      }
    } catch (recordError) {
      // The claim then expires and the row is retried by whichever worker reclaims it.
      this.logger.error(
        `could not record the failure of outbox message ${message.id}: ${describeFailure(recordError)}`,
      );
      return false;
    }
    const line = `outbox message ${message.id} (${message.topic}) attempt ${message.attempts}: ${lastError}`;
    if (dead) this.logger.error(`${line}; dead-lettered`);
    else this.logger.warn(`${line}; will retry`);
    return dead;
  }

  private async release(messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (this.pg) {
      const ids = messages.map((m) => m.id);
      await releasePg(this.pg, ids, this.workerId);
      return;
    }
    await this.prisma.outboxMessage.updateMany({
      where: {
        id: { in: messages.map((m) => m.id) },
        status: 'processing',
        lockedBy: this.workerId,
      },
      // Never started: the claim does not count as an attempt.
      data: { status: 'pending', lockedBy: null, lockedUntil: null, attempts: { decrement: 1 } },
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new PermanentDeliveryError('the stored payload is not a JSON object');
}

/**
 * Delivers up to `concurrency` messages at once — a core system answering in
 * 200 ms would otherwise cap an instance at five deliveries a second — while
 * messages about the same aggregate (a request's ticket, then its
 * notification) still go one after the other, in delivery order.
 */
async function deliverInLanes(
  messages: OutboxMessage[],
  concurrency: number,
  deliver: (message: OutboxMessage) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, OutboxMessage[]>();
  for (const message of messages) {
    const lane = lanes.get(message.aggregateId);
    if (lane) lane.push(message);
    else lanes.set(message.aggregateId, [message]);
  }
  const pending = [...lanes.values()];
  const runner = async (): Promise<void> => {
    for (let lane = pending.shift(); lane; lane = pending.shift()) {
      for (const message of lane) await deliver(message);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, runner));
}

/** The order messages are delivered in: due time, then creation, then id. */
function deliveryOrder(a: OutboxMessage, b: OutboxMessage): number {
  return (
    a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
