import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { SERVER_SECRETS } from '../config/config.module.js';
import type { ServerSecrets } from '../config/local-secrets.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma } from '../generated/sqlite/client.js';
import { ChainVerifier, GENESIS_HASH, type ChainCheck, type ChainedFields } from './audit-chain.js';
import { AuditWriter } from './audit-writer.service.js';

export interface AuditFilter {
  clientId?: string;
  tool?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
  /** Only events with a smaller sequence number (newest first paging). */
  beforeSeq?: number;
}

/** An event as the auditor API and the export show it: JSON columns parsed, time as ISO text. */
export type AuditEventView = Omit<ChainedFields, 'time' | 'request' | 'response' | 'upstream'> & {
  time: string;
  request: unknown;
  response: unknown;
  upstream: unknown;
  hash: string;
};

interface CheckpointBody {
  purgedThroughSeq: number;
  anchorHash: string;
  before: string;
  purgedCount: number;
  signature: string;
}

const PAGE = 1000;

/** Reading, verifying, exporting and purging the audit trail. */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly writer: AuditWriter,
    private readonly clock: Clock,
    @Inject(SERVER_SECRETS) private readonly secrets: ServerSecrets,
  ) {}

  async list(filter: AuditFilter, limit: number): Promise<AuditEventView[]> {
    const rows = await this.prisma.auditEvent.findMany({
      where: whereOf(filter),
      orderBy: { seq: 'desc' },
      take: limit,
    });
    return rows.map(toView);
  }

  /** Events in ascending order, a page at a time (export and verify never hold the whole trail). */
  async *stream(filter: Omit<AuditFilter, 'beforeSeq'> = {}): AsyncGenerator<AuditEventView> {
    let after = 0;
    for (;;) {
      const rows = await this.prisma.auditEvent.findMany({
        where: { ...whereOf(filter), seq: { gt: after } },
        orderBy: { seq: 'asc' },
        take: PAGE,
      });
      for (const row of rows) yield toView(row);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  /**
   * Checks the whole chain from genesis, or from the purge checkpoint that
   * anchors the oldest remaining event, and names the first broken link.
   */
  async verify(): Promise<ChainCheck> {
    const first = await this.prisma.auditEvent.findFirst({ orderBy: { seq: 'asc' } });
    let anchor = { seq: 0, hash: GENESIS_HASH };
    if (first && first.seq > 1) {
      const checkpoint = await this.findCheckpoint(first.seq - 1);
      if (!checkpoint) {
        return {
          ok: false,
          checked: 0,
          firstBrokenSeq: first.seq,
          lastSeq: null,
          lastHash: GENESIS_HASH,
        };
      }
      anchor = { seq: checkpoint.purgedThroughSeq, hash: checkpoint.anchorHash };
    }
    const verifier = new ChainVerifier(anchor);
    let after = 0;
    for (;;) {
      const rows = await this.prisma.auditEvent.findMany({
        where: { seq: { gt: after } },
        orderBy: { seq: 'asc' },
        take: PAGE,
      });
      for (const row of rows) verifier.add(row);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].seq;
    }
    const result = verifier.result();
    if (result.ok) {
      // The head must agree with the last event, or events were removed from the end.
      const head = await this.prisma.auditChainHead.findUnique({ where: { id: 1 } });
      if (head && (head.seq !== result.lastSeq || head.hash !== result.lastHash)) {
        return { ...result, ok: false, firstBrokenSeq: (result.lastSeq ?? 0) + 1 };
      }
    }
    return result;
  }

  /**
   * Deletes events older than `before` and appends a signed checkpoint event
   * that anchors verification of what remains. The only way rows leave the table.
   */
  async purge(
    before: Date,
  ): Promise<{ purged: number; purgedThroughSeq: number | null; checkpointSeq: number | null }> {
    const last = await this.prisma.auditEvent.findFirst({
      where: { time: { lt: before }, kind: { not: 'checkpoint' } },
      orderBy: { seq: 'desc' },
    });
    if (!last) return { purged: 0, purgedThroughSeq: null, checkpointSeq: null };
    return this.prisma.$transaction(
      async (tx) => {
        const anchor = await tx.auditEvent.findUnique({ where: { seq: last.seq } });
        if (!anchor) throw new Error('audit event vanished during purge');
        await tx.auditPurgeWindow.create({ data: { id: 1, beforeSeq: last.seq + 1 } });
        const { count } = await tx.auditEvent.deleteMany({ where: { seq: { lte: last.seq } } });
        await tx.auditPurgeWindow.delete({ where: { id: 1 } });
        const body = this.signCheckpoint({
          purgedThroughSeq: last.seq,
          anchorHash: anchor.hash,
          before: before.toISOString(),
          purgedCount: count,
        });
        await this.writer.appendInTransaction(tx, [
          {
            kind: 'checkpoint',
            transport: 'cli',
            outcome: 'recorded',
            request: body,
            time: this.clock.now(),
          },
        ]);
        const head = await tx.auditChainHead.findUnique({ where: { id: 1 } });
        return { purged: count, purgedThroughSeq: last.seq, checkpointSeq: head?.seq ?? null };
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  private signCheckpoint(body: Omit<CheckpointBody, 'signature'>): CheckpointBody {
    return { ...body, signature: this.signature(body) };
  }

  private signature(body: Omit<CheckpointBody, 'signature'>): string {
    const canonical = JSON.stringify([
      body.purgedThroughSeq,
      body.anchorHash,
      body.before,
      body.purgedCount,
    ]);
    return createHmac('sha256', this.secrets.pepper)
      .update(`audit-checkpoint:${canonical}`)
      .digest('hex');
  }

  private async findCheckpoint(purgedThroughSeq: number): Promise<CheckpointBody | null> {
    const rows = await this.prisma.auditEvent.findMany({
      where: { kind: 'checkpoint' },
      orderBy: { seq: 'desc' },
    });
    for (const row of rows) {
      const body = JSON.parse(row.request) as CheckpointBody;
      if (body.purgedThroughSeq !== purgedThroughSeq) continue;
      const { signature, ...rest } = body;
      return signature === this.signature(rest) ? body : null;
    }
    return null;
  }
}

function whereOf(filter: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    ...(filter.clientId ? { clientId: filter.clientId } : {}),
    ...(filter.tool ? { tool: filter.tool } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.from || filter.to
      ? {
          time: {
            ...(filter.from ? { gte: filter.from } : {}),
            ...(filter.to ? { lt: filter.to } : {}),
          },
        }
      : {}),
    ...(filter.beforeSeq ? { seq: { lt: filter.beforeSeq } } : {}),
  };
}

function toView(row: Prisma.AuditEventGetPayload<object>): AuditEventView {
  return {
    ...row,
    time: row.time.toISOString(),
    request: JSON.parse(row.request) as unknown,
    response: JSON.parse(row.response) as unknown,
    upstream: JSON.parse(row.upstream) as unknown,
  };
}
