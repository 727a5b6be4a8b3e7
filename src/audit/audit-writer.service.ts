import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import type { UpstreamCall } from '../common/http/request-context.js';
import { Observers } from '../common/observers.js';
import type { Database, Statement } from 'better-sqlite3';
import type { PgDirect, PgQueryable } from '../database/pg-direct.js';
import {
  pgDirectOf,
  pgTransactionOf,
  PrismaService,
  sqliteDirectOf,
  type SqliteDirect,
} from '../database/prisma.service.js';
import { toSqliteTime } from '../database/sqlite-sql.js';
import type { Prisma } from '../generated/sqlite/client.js';
import { chainHash, type ChainedFields } from './audit-chain.js';

export type AuditOutcome =
  'ok' | 'denied' | 'invalid' | 'not_found' | 'throttled' | 'upstream_error' | 'error' | 'recorded';

export interface AuditEventInput {
  kind: 'request' | 'security' | 'checkpoint';
  transport: 'http' | 'mcp' | 'cli';
  outcome: AuditOutcome;
  time?: Date;
  requestId?: string | null;
  clientId?: string | null;
  credentialId?: string | null;
  credentialType?: string | null;
  agentId?: string | null;
  conversationId?: string | null;
  endUserHash?: string | null;
  tool?: string | null;
  method?: string | null;
  route?: string | null;
  status?: number | null;
  latencyMs?: number | null;
  /** Already redacted. */
  request?: unknown;
  /** Already redacted. */
  response?: unknown;
  upstream?: UpstreamCall[];
}

/** The audit trail could not be written: the request must fail rather than go unrecorded. */
export class AuditUnavailableError extends Error {
  override name = 'AuditUnavailableError';
}

type Tx = Prisma.TransactionClient;

interface Pending {
  event: AuditEventInput;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 256;

/**
 * One append, as the metrics see it. `batch`: the batched writer's own
 * transaction, commit included; `transaction`: the statements a write's
 * append runs inside that write's transaction (whose commit is the write's).
 */
export interface AuditAppendReport {
  path: 'batch' | 'transaction';
  seconds: number;
}

/**
 * Appends hash-chained events. Reads are batched: requests that finish in the
 * same tick share one transaction, and each request's promise resolves only
 * after that transaction commits, so no response leaves before its event is
 * durable. Writes append inside their own business transaction instead.
 */
@Injectable()
export class AuditWriter implements OnModuleDestroy {
  private readonly logger = new Logger(AuditWriter.name);
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  /** Observed cost of each batch commit, for /metrics and docs/benchmarks.md. */
  readonly stats = { batches: 0, events: 0, totalMs: 0 };
  // Metrics must never fail an append that has committed.
  private readonly observers = new Observers<AuditAppendReport>((error) =>
    this.logger.warn(`audit observer failed: ${String(error)}`),
  );

  private readonly direct: SqliteDirect | null;
  private readonly pg: PgDirect | null;
  private statements: SqliteStatements | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
  ) {
    this.direct = sqliteDirectOf(prisma);
    this.pg = pgDirectOf(prisma);
  }

  append(event: AuditEventInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  /** Appends inside the caller's transaction: the event commits or rolls back with the business write. */
  async appendInTransaction(tx: Tx, events: AuditEventInput[]): Promise<void> {
    const started = performance.now();
    try {
      if (this.direct) {
        this.direct.joinTransaction((db) => this.appendSync(db, events));
      } else {
        const pg = pgTransactionOf(tx);
        if (pg) await this.appendPg(pg, events);
        else await this.appendRows(tx, events);
      }
    } catch (error) {
      throw new AuditUnavailableError('audit append failed', { cause: error });
    }
    this.observers.notify({ path: 'transaction', seconds: (performance.now() - started) / 1000 });
  }

  /** Calls `observer` after every successful append (the metrics). */
  observe(observer: (append: AuditAppendReport) => void): void {
    this.observers.add(observer);
  }

  async onModuleDestroy(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) {
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing;
      if (this.queue.length > 0) this.schedule();
      return;
    }
    const batch = this.queue.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    const started = performance.now();
    const events = batch.map((p) => p.event);
    // Embedded SQLite: one synchronous transaction on Prisma's own connection,
    // far cheaper than going through the query engine.
    // PostgreSQL: named statements on Prisma's pool, one transaction per batch.
    const fast =
      this.direct?.exclusive((db) => this.appendSync(db, events)) ??
      this.pg?.transaction((tx) => this.appendPg(tx, events));
    this.flushing = (
      fast ??
      this.prisma.$transaction((tx) => this.appendRows(tx, events), {
        maxWait: 10_000,
        timeout: 20_000,
      })
    )
      .then(
        () => {
          const ms = performance.now() - started;
          this.stats.batches += 1;
          this.stats.events += batch.length;
          this.stats.totalMs += ms;
          for (const p of batch) p.resolve();
          this.observers.notify({ path: 'batch', seconds: ms / 1000 });
        },
        (error: unknown) => {
          this.logger.error(`audit append failed for ${batch.length} event(s): ${String(error)}`);
          const failure = new AuditUnavailableError('audit append failed', { cause: error });
          for (const p of batch) p.reject(failure);
        },
      )
      .finally(() => {
        this.flushing = null;
        if (this.queue.length > 0) this.schedule();
      });
    await this.flushing;
  }

  /**
   * Its own transaction, or part of the caller's when one is open: no
   * savepoint of its own there, since a failure here fails the caller's write,
   * which rolls back (its savepoint in a group commit) with everything it did.
   */
  private appendSync(db: Database, events: AuditEventInput[]): void {
    const st = (this.statements ??= prepareStatements(db));
    const append = (): void => {
      st.lockHead.run();
      const head = st.readHead.get() as { seq: number | bigint; hash: string } | undefined;
      if (!head) throw new Error('audit chain head missing');
      let seq = Number(head.seq);
      let hash = head.hash;
      for (const e of events) {
        seq += 1;
        const fields = toFields(e, seq, hash, e.time ?? this.clock.now());
        hash = chainHash(fields);
        // Positional: binding 22 named parameters from a spread object cost more than the insert.
        st.insert.run(rowValues(fields, hash));
      }
      st.moveHead.run({ seq, hash });
      // Every answered request's event commits here or in its write's transaction: refusing it
      // when the file was deleted or replaced means no answer is given for work that would be lost.
      this.direct?.assertFileInPlace();
    };
    if (db.inTransaction) append();
    else db.transaction(append).immediate();
  }

  private async appendPg(tx: PgQueryable, events: AuditEventInput[]): Promise<void> {
    // Locks the head row until COMMIT (appenders on every instance queue here) and reads it.
    const { rows } = await tx.query<{ seq: number; hash: string }>(PG_LOCK_HEAD);
    const head = rows[0];
    if (!head) throw new Error('audit chain head missing');
    let seq = head.seq;
    let hash = head.hash;
    const columns: unknown[][] = COLUMNS.map(() => []);
    for (const e of events) {
      seq += 1;
      const fields = toFields(e, seq, hash, e.time ?? this.clock.now());
      hash = chainHash(fields);
      // TIMESTAMP(3) without time zone keeps the UTC wall time, as Prisma writes it.
      const row = rowValues(fields, hash, fields.time.toISOString());
      for (let c = 0; c < row.length; c++) columns[c]?.push(row[c]);
    }
    await tx.query(PG_APPEND, [...columns, seq, hash]);
  }

  private async appendRows(tx: Tx, events: AuditEventInput[]): Promise<void> {
    // Taking the head row's write lock first serialises appenders across
    // connections, processes and instances: no fork, no gap.
    await tx.$executeRaw`UPDATE "AuditChainHead" SET "seq" = "seq" WHERE "id" = 1`;
    const head = await tx.auditChainHead.findUnique({ where: { id: 1 } });
    if (!head) throw new Error('audit chain head missing');
    let { seq, hash } = head;
    const rows: (ChainedFields & { hash: string })[] = [];
    for (const e of events) {
      seq += 1;
      const fields = toFields(e, seq, hash, e.time ?? this.clock.now());
      hash = chainHash(fields);
      rows.push({ ...fields, hash });
    }
    await tx.auditEvent.createMany({ data: rows });
    await tx.auditChainHead.update({ where: { id: 1 }, data: { seq, hash } });
  }
}

interface SqliteStatements {
  lockHead: Statement;
  readHead: Statement;
  insert: Statement;
  moveHead: Statement;
}

const COLUMNS = [
  'seq',
  'time',
  'kind',
  'requestId',
  'transport',
  'clientId',
  'credentialId',
  'credentialType',
  'agentId',
  'conversationId',
  'endUserHash',
  'tool',
  'method',
  'route',
  'status',
  'outcome',
  'latencyMs',
  'request',
  'response',
  'upstream',
  'prevHash',
  'hash',
] as const;

function prepareStatements(db: Database): SqliteStatements {
  return {
    lockHead: db.prepare('UPDATE "AuditChainHead" SET "seq" = "seq" WHERE "id" = 1'),
    readHead: db.prepare('SELECT "seq", "hash" FROM "AuditChainHead" WHERE "id" = 1'),
    insert: db.prepare(
      `INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    ),
    moveHead: db.prepare('UPDATE "AuditChainHead" SET "seq" = @seq, "hash" = @hash WHERE "id" = 1'),
  };
}

const PG_LOCK_HEAD =
  'UPDATE "AuditChainHead" SET "seq" = "seq" WHERE "id" = 1 RETURNING "seq", "hash"';
/** PostgreSQL type of each column, in COLUMNS order. */
const PG_TYPES: Record<(typeof COLUMNS)[number], string> = {
  seq: 'int',
  time: 'timestamp(3)',
  kind: 'text',
  requestId: 'text',
  transport: 'text',
  clientId: 'text',
  credentialId: 'text',
  credentialType: 'text',
  agentId: 'text',
  conversationId: 'text',
  endUserHash: 'text',
  tool: 'text',
  method: 'text',
  route: 'text',
  status: 'int',
  outcome: 'text',
  latencyMs: 'int',
  request: 'text',
  response: 'text',
  upstream: 'text',
  prevHash: 'text',
  hash: 'text',
};

/**
 * The batch's rows and the head's move in one statement (one round trip
 * while the head is locked), for any batch size: a column array per
 * parameter, unnested into rows. A data-modifying WITH runs whether or not
 * the outer statement reads it.
 */
const PG_APPEND = `WITH appended AS (INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPES[c]}[]`).join(', ')}))
  UPDATE "AuditChainHead" SET "seq" = $${COLUMNS.length + 1}, "hash" = $${COLUMNS.length + 2} WHERE "id" = 1`;

/** The row in COLUMNS order. */
function rowValues(f: ChainedFields, hash: string, time = toSqliteTime(f.time)): unknown[] {
  return [
    f.seq,
    time,
    f.kind,
    f.requestId,
    f.transport,
    f.clientId,
    f.credentialId,
    f.credentialType,
    f.agentId,
    f.conversationId,
    f.endUserHash,
    f.tool,
    f.method,
    f.route,
    f.status,
    f.outcome,
    f.latencyMs,
    f.request,
    f.response,
    f.upstream,
    f.prevHash,
    hash,
  ];
}

function toFields(e: AuditEventInput, seq: number, prevHash: string, time: Date): ChainedFields {
  return {
    seq,
    // Millisecond precision is what every store keeps, so the hash survives a round trip.
    time: new Date(Math.floor(time.getTime())),
    kind: e.kind,
    requestId: e.requestId ?? null,
    transport: e.transport,
    clientId: e.clientId ?? null,
    credentialId: e.credentialId ?? null,
    credentialType: e.credentialType ?? null,
    agentId: e.agentId ?? null,
    conversationId: e.conversationId ?? null,
    endUserHash: e.endUserHash ?? null,
    tool: e.tool ?? null,
    method: e.method ?? null,
    route: e.route ?? null,
    status: e.status ?? null,
    outcome: e.outcome,
    latencyMs: e.latencyMs ?? null,
    request: JSON.stringify(e.request ?? {}),
    response: JSON.stringify(e.response ?? {}),
    upstream: JSON.stringify(e.upstream ?? []),
    prevHash,
  };
}
