import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AuditWriter, type AuditAppendReport } from '../audit/audit-writer.service.js';
import { Clock } from '../common/clock.js';
import type { UpstreamCall } from '../common/http/request-context.js';
import { PrismaService, sqliteDirectOf } from '../database/prisma.service.js';
import { logDrops } from '../observability/logging/root-logger.js';
import { circuitStates } from '../connectors/http/upstream-http.js';
import { OutboxWorker, type DeliveryReport } from '../outbox/outbox.worker.js';
import { ThrottlingService } from '../throttling/throttling.service.js';

/** Seconds; dense below 10 ms, where the hot path lives. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const UPSTREAM_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds; an append takes tens of microseconds to a few milliseconds (an fsync). */
const AUDIT_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1,
];
const BACKLOG_STATUSES = ['pending', 'processing', 'dead'] as const;

export interface CompletedRequest {
  method: string;
  /** The route pattern (`/v1/inventory/:sku`), never the raw path: labels stay bounded. */
  route: string;
  /** Tool name, or '' for endpoints that are not tools (token, JWKS, health...). */
  tool: string;
  /** `mcp` for tool calls the MCP endpoint dispatched, else `http`. */
  transport: string;
  status: number;
  outcome: string;
  clientId: string;
  seconds: number;
  upstream: readonly UpstreamCall[];
}

let processRegistry: Registry | undefined;

/** Process-wide metrics (CPU, memory, event loop, GC) exist once per process, not per app. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Gatehouse's Prometheus metrics. Request metrics are recorded as each
 * response completes; outbox and audit figures are read when scraped.
 */
@Injectable()
export class GatehouseMetrics {
  readonly registry = new Registry();
  private readonly logger = new Logger(GatehouseMetrics.name);

  private readonly requests = new Counter({
    name: 'gatehouse_requests_total',
    help: 'Completed HTTP requests by route, tool, transport, status and audit outcome.',
    labelNames: ['method', 'route', 'tool', 'transport', 'status', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly duration = new Histogram({
    name: 'gatehouse_request_duration_seconds',
    help: 'Time from receiving a request to sending the last byte of its response, by tool.',
    labelNames: ['method', 'route', 'tool'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly throttled = new Counter({
    name: 'gatehouse_throttled_total',
    help: 'Requests answered 429 by the rate limiter, by tool and client.',
    labelNames: ['tool', 'client_id'] as const,
    registers: [this.registry],
  });

  private readonly rateLimitRefusals = new Counter({
    name: 'gatehouse_rate_limit_refusals_total',
    help: 'Requests refused (429) by each rate-limit counter: read, write, token per client; token_ip, auth_failure_ip per IP.',
    labelNames: ['counter'] as const,
    registers: [this.registry],
  });

  private readonly rateLimitDegraded = new Gauge({
    name: 'gatehouse_rate_limit_store_degraded',
    help: '1 while Redis does not answer and this instance limits with its own counters (a client may then get N times its limit across N instances); else 0.',
    registers: [this.registry],
  });

  private readonly rateLimitFallback = new Counter({
    name: 'gatehouse_rate_limit_store_fallback_total',
    help: 'Rate-limit hits this instance counted alone because Redis did not answer.',
    registers: [this.registry],
  });

  private readonly upstreamCalls = new Counter({
    name: 'gatehouse_upstream_calls_total',
    help: 'Calls to core-system connectors, while serving requests and delivering outbox messages; status="error" counts failures.',
    labelNames: ['system', 'operation', 'status'] as const,
    registers: [this.registry],
  });

  private readonly upstreamDuration = new Histogram({
    name: 'gatehouse_upstream_call_duration_seconds',
    help: 'Latency of connector calls, while serving requests and delivering outbox messages.',
    labelNames: ['system', 'operation'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers: [this.registry],
  });

  private readonly outboxDeliveries = new Counter({
    name: 'gatehouse_outbox_deliveries_total',
    help: 'Outbox delivery attempts by topic and outcome: delivered, retry (failed, scheduled again) or dead (dead-lettered).',
    labelNames: ['topic', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly outboxBacklog = new Gauge({
    name: 'gatehouse_outbox_messages',
    help: 'Outbox messages not yet delivered, by status (pending, processing, dead).',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  private readonly outboxOldest = new Gauge({
    name: 'gatehouse_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending or processing outbox message; 0 when the backlog is empty.',
    registers: [this.registry],
  });

  private readonly auditBatches = new Counter({
    name: 'gatehouse_audit_batches_total',
    help: 'Audit append transactions committed by the batched writer.',
    registers: [this.registry],
  });

  private readonly auditEvents = new Counter({
    name: 'gatehouse_audit_events_total',
    help: 'Audit events committed by the batched writer.',
    registers: [this.registry],
  });

  private readonly auditSeconds = new Counter({
    name: 'gatehouse_audit_append_seconds_total',
    help: 'Time spent committing audit batches; divide by gatehouse_audit_batches_total for the mean.',
    registers: [this.registry],
  });

  private readonly auditAppendDuration = new Histogram({
    name: 'gatehouse_audit_append_duration_seconds',
    help: 'Time of each audit append: path="batch" a batched commit of read and failed-request events, path="transaction" the statements of a write\'s own event inside its transaction.',
    labelNames: ['path'] as const,
    buckets: AUDIT_BUCKETS,
    registers: [this.registry],
  });

  private readonly writeTransactions = new Counter({
    name: 'gatehouse_sqlite_write_transactions_total',
    help: 'Write transactions committed on the embedded SQLite store (0 on PostgreSQL).',
    registers: [this.registry],
  });

  private readonly writeCommits = new Counter({
    name: 'gatehouse_sqlite_write_commits_total',
    help: 'Group commits those write transactions took; transactions ÷ commits is how many shared an fsync.',
    registers: [this.registry],
  });

  private readonly upstreamCircuit = new Gauge({
    name: 'gatehouse_upstream_circuit_open',
    help: "Each core system's circuit breaker: 1 open (calls fail fast), 0.5 half-open (one trial call), 0 closed.",
    labelNames: ['system'],
    registers: [this.registry],
  });

  private readonly logLinesDropped = new Counter({
    name: 'gatehouse_log_lines_dropped_total',
    help: 'Log lines dropped because stdout did not take them and 64 MiB were already waiting.',
    registers: [this.registry],
  });

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly throttling: ThrottlingService,
    outbox: OutboxWorker,
  ) {
    audit.observe((append) => this.recordAuditAppend(append));
    outbox.observe((delivery) => this.recordDelivery(delivery));
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  recordRequest(r: CompletedRequest): void {
    const status = String(r.status);
    this.requests.inc({
      method: r.method,
      route: r.route,
      tool: r.tool,
      transport: r.transport,
      status,
      outcome: r.outcome,
    });
    this.duration.observe({ method: r.method, route: r.route, tool: r.tool }, r.seconds);
    if (r.status === 429) this.throttled.inc({ tool: r.tool, client_id: r.clientId });
    this.recordUpstream(r.upstream);
  }

  private recordDelivery(d: DeliveryReport): void {
    this.outboxDeliveries.inc({ topic: d.topic, outcome: d.outcome });
    this.recordUpstream(d.upstream);
  }

  private recordAuditAppend(a: AuditAppendReport): void {
    this.auditAppendDuration.observe({ path: a.path }, a.seconds);
  }

  private recordUpstream(calls: readonly UpstreamCall[]): void {
    for (const call of calls) {
      this.upstreamCalls.inc({
        system: call.system,
        operation: call.operation,
        status: call.status,
      });
      this.upstreamDuration.observe(
        { system: call.system, operation: call.operation },
        call.latencyMs / 1000,
      );
    }
  }

  /** The exposition text: this app's metrics, then the process's. */
  async render(): Promise<string> {
    this.readCumulative();
    await this.readOutbox();
    const own = await this.registry.metrics();
    const proc = await processMetrics().metrics();
    return `${own}\n${proc}`;
  }

  private async readOutbox(): Promise<void> {
    try {
      const [groups, oldest] = await Promise.all([
        this.prisma.outboxMessage.groupBy({
          by: ['status'],
          where: { status: { in: [...BACKLOG_STATUSES] } },
          _count: { _all: true },
        }),
        this.prisma.outboxMessage.aggregate({
          where: { status: { in: ['pending', 'processing'] } },
          _min: { createdAt: true },
        }),
      ]);
      for (const status of BACKLOG_STATUSES) {
        const count = groups.find((g) => g.status === status)?._count._all ?? 0;
        this.outboxBacklog.set({ status }, count);
      }
      const since = oldest._min.createdAt;
      this.outboxOldest.set(
        since ? Math.max(0, (this.clock.now().getTime() - since.getTime()) / 1000) : 0,
      );
    } catch (error) {
      // A stale backlog would look healthy: report none rather than the last figures.
      this.outboxBacklog.reset();
      this.outboxOldest.reset();
      this.logger.warn(`could not read the outbox backlog: ${String(error)}`);
    }
  }

  /** Figures kept as running totals elsewhere: the audit writer, the SQLite group commits, the log stream. */
  private readCumulative(): void {
    const { batches, events, totalMs } = this.audit.stats;
    setCounter(this.auditBatches, batches);
    setCounter(this.auditEvents, events);
    setCounter(this.auditSeconds, totalMs / 1000);
    const writes = sqliteDirectOf(this.prisma)?.groupStats;
    setCounter(this.writeTransactions, writes?.transactions ?? 0);
    setCounter(this.writeCommits, writes?.groups ?? 0);
    setCounter(this.logLinesDropped, logDrops.lines);
    const limits = this.throttling.stats();
    this.rateLimitRefusals.reset();
    for (const [counter, refused] of Object.entries(limits.throttled)) {
      this.rateLimitRefusals.inc({ counter }, refused);
    }
    this.rateLimitDegraded.set(limits.storageDegraded ? 1 : 0);
    setCounter(this.rateLimitFallback, limits.storageErrors);
    for (const { system, open } of circuitStates()) this.upstreamCircuit.set({ system }, open);
  }
}

/** Mirrors a cumulative figure kept elsewhere into a counter. */
function setCounter(counter: Counter, value: number): void {
  counter.reset();
  counter.inc(value);
}
