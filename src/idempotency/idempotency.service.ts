import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { Clock } from '../common/clock.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { PgDirect } from '../database/pg-direct.js';
import {
  NO_PRISMA_IN_DIRECT_TRANSACTION,
  pgDirectOf,
  pgStandIn,
  PrismaService,
  sqliteDirectOf,
  type SqliteDirect,
} from '../database/prisma.service.js';
import type { RequestContext } from '../common/http/request-context.js';
import {
  IdempotencyRecords,
  isUniqueViolation,
  type MarkerOwner,
  type Transaction,
} from './idempotency-records.js';
import { requestFingerprint } from './request-fingerprint.js';

export { isUniqueViolation, type Transaction };

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
/** An in-flight marker this old belongs to a process that died; another request may take it over. */
export const ABANDONED_AFTER_MS = 60_000;

const PURGE_EVERY_MS = 60 * 60 * 1000;
// Writes wait behind each other on the single SQLite connection; Prisma's defaults
// (2 s to start, 5 s to finish) are too tight under a burst of writes.
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

export interface IdempotentRequest {
  principal: Pick<Principal, 'clientId'>;
  /** The raw Idempotency-Key value (undefined when the caller sent none). */
  key: string | undefined;
  method: string;
  /** The route template, e.g. `/v1/leads`: the same for HTTP and MCP calls of one tool. */
  route: string;
  /** The validated arguments. */
  body: unknown;
  /** The request being served: its audit event commits inside the write's transaction. */
  context?: RequestContext | undefined;
}

/** What a write produced: the status and JSON body stored for replays. */
export interface IdempotentOutcome<T> {
  status: number;
  body: T;
}

export interface IdempotentResult<T> extends IdempotentOutcome<T> {
  /** True when this is the stored answer to an earlier call with the same key. */
  replayed: boolean;
}

/**
 * The write itself, run in the transaction that also completes the idempotency
 * record. The transaction is a direct one and `tx` a stand-in that refuses
 * Prisma: repositories write through `SqliteDirect.joinTransaction` on the
 * embedded store and through `pgTransactionOf(tx)` on PostgreSQL.
 */
export type IdempotentWrite<T, P> = (tx: Transaction, prepared: P) => Promise<IdempotentOutcome<T>>;

type Claim = { kind: 'owned'; createdAt: Date } | { kind: 'replay'; status: number; body: unknown };

/**
 * Idempotency-Key handling for every write (SPEC §5.8), independent of the
 * transport: HTTP controllers and the MCP server call `execute` the same way.
 *
 * The in-flight marker is committed first so concurrent calls see it; the
 * business write, its outbox rows and the stored response then commit in one
 * transaction, so a replay can never disagree with what was written.
 */
@Injectable()
export class IdempotencyService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyService.name);
  private purgeTimer: NodeJS.Timeout | undefined;
  private readonly records: IdempotencyRecords;
  private readonly direct: SqliteDirect | null;
  private readonly pg: PgDirect | null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.records = new IdempotencyRecords(prisma);
    this.direct = sqliteDirectOf(prisma);
    this.pg = pgDirectOf(prisma);
  }

  onApplicationBootstrap(): void {
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) =>
        this.logger.warn(`purging expired idempotency keys failed: ${String(error)}`),
      );
    }, PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  /**
   * Runs `write` at most once per (client, key). `prepare` runs outside the
   * transaction, after the key is claimed: reads through ports belong there,
   * because the one SQLite connection is held by the transaction.
   */
  async execute<T, P = undefined>(
    request: IdempotentRequest,
    write: IdempotentWrite<T, P>,
    prepare?: () => Promise<P>,
  ): Promise<IdempotentResult<T>> {
    const key = checkKey(request.key);
    const clientId = request.principal.clientId;
    const requestHash = requestFingerprint(request);
    const claim = await this.claim(clientId, key, requestHash);
    if (claim.kind === 'replay') {
      return { status: claim.status, body: claim.body as T, replayed: true };
    }
    const owner: MarkerOwner = { clientId, key, requestHash, createdAt: claim.createdAt };
    try {
      try {
        return { ...(await this.run(owner, write, prepare, request.context)), replayed: false };
      } catch (error) {
        // A concurrent transaction committed a row we could not see (e.g. the same
        // lead's email): running again sees it and answers accordingly.
        if (!isUniqueViolation(error)) throw error;
        return { ...(await this.run(owner, write, prepare, request.context)), replayed: false };
      }
    } catch (error) {
      await this.release(owner);
      throw error;
    }
  }

  /** Deletes records past their retention; they are ignored anyway, this only keeps the table small. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.prisma.idempotencyRecord.deleteMany({
      where: { expiresAt: { lte: this.clock.now() } },
    });
    return count;
  }

  private async run<T, P>(
    owner: MarkerOwner,
    write: IdempotentWrite<T, P>,
    prepare: (() => Promise<P>) | undefined,
    context: RequestContext | undefined,
  ): Promise<IdempotentOutcome<T>> {
    const prepared = prepare ? await prepare() : (undefined as P);
    const inTransaction = async (tx: Transaction): Promise<IdempotentOutcome<T>> => {
      const outcome = await write(tx, prepared);
      const responseBody = JSON.stringify(outcome.body);
      if (!(await this.records.complete(tx, owner, outcome.status, responseBody))) {
        // Our marker was taken over as abandoned: the other request's write wins.
        throw inFlight('A later retry took over this Idempotency-Key.');
      }
      // The caller gets exactly what a replay will get.
      const body = JSON.parse(responseBody) as T;
      // The audit event commits with the business row, the outbox row and this
      // record, or none of them does (the request then fails with 503).
      await context?.auditInTransaction?.(tx, outcome.status, body);
      return { status: outcome.status, body };
    };
    // Every statement of a write is a prepared (SQLite) or named (PostgreSQL)
    // statement, so the transaction around them need not be Prisma's.
    const result = await (this.direct?.transaction(() =>
      inTransaction(NO_PRISMA_IN_DIRECT_TRANSACTION as Transaction),
    ) ??
      this.pg?.transaction((tx) => inTransaction(pgStandIn(tx) as Transaction)) ??
      this.prisma.$transaction(inTransaction, TRANSACTION_OPTIONS));
    if (context?.auditInTransaction) context.audited = true;
    return result;
  }

  private async claim(clientId: string, key: string, requestHash: string): Promise<Claim> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.clock.now();
      const fresh = {
        requestHash,
        status: 'in_flight',
        responseStatus: null,
        responseBody: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.idempotencyTtlHours * 3_600_000),
      };
      if (await this.records.insert(clientId, key, fresh)) return { kind: 'owned', createdAt: now };
      const existing = await this.records.find(clientId, key);
      if (!existing) continue;
      const expired = existing.expiresAt.getTime() <= now.getTime();
      const abandoned =
        existing.status === 'in_flight' &&
        now.getTime() - existing.createdAt.getTime() >= ABANDONED_AFTER_MS;
      if (expired || abandoned) {
        if (await this.records.retake(existing, fresh)) return { kind: 'owned', createdAt: now };
        continue;
      }
      if (existing.requestHash !== requestHash) {
        throw new GatehouseError('idempotency_key_reused', {
          detail: `The Idempotency-Key "${key}" was already used for a different request.`,
          errors: [
            { field: IDEMPOTENCY_KEY_HEADER, message: 'already used with a different body' },
          ],
        });
      }
      if (existing.status === 'completed' && existing.responseStatus !== null) {
        return {
          kind: 'replay',
          status: existing.responseStatus,
          body: JSON.parse(existing.responseBody ?? 'null') as unknown,
        };
      }
      throw inFlight(`A request with the Idempotency-Key "${key}" is still being processed.`);
    }
    throw inFlight(`The Idempotency-Key "${key}" is contended; retry shortly.`);
  }

  private async release(owner: MarkerOwner): Promise<void> {
    try {
      await this.records.release(owner);
    } catch (error) {
      // The marker then blocks retries for ABANDONED_AFTER_MS at most.
      this.logger.warn(`could not release an idempotency key: ${String(error)}`);
    }
  }
}

function checkKey(key: string | undefined): string {
  if (key === undefined || key === '') {
    throw new GatehouseError('idempotency_key_required', {
      detail: 'This tool writes data: send an Idempotency-Key header, unique per logical request.',
    });
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new GatehouseError('validation_failed', {
      detail: 'The Idempotency-Key header is malformed.',
      errors: [
        {
          field: IDEMPOTENCY_KEY_HEADER,
          message: 'must be 8-128 characters of A-Z a-z 0-9 . _ : - (a UUID works)',
        },
      ],
    });
  }
  return key;
}

function inFlight(detail: string): GatehouseError {
  return new GatehouseError('idempotency_key_in_flight', { detail, retryAfterSeconds: 1 });
}
