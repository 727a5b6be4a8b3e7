import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface UpstreamCall {
  system: string;
  operation: string;
  status: 'ok' | 'error';
  latencyMs: number;
}

/**
 * What one request accumulates on its way through: read by the audit recorder.
 * Carried on the Fastify request (`request.ctx`) and handed explicitly to what
 * needs it, not through AsyncLocalStorage (its promise hooks cost ~10 % of a read).
 */
export interface RequestContext {
  startedAt: bigint;
  transport: 'http' | 'mcp';
  /**
   * The matched route's pattern (`/v1/inventory/:sku`), read once: Fastify's
   * `request.routeOptions` builds a new object on every access.
   */
  route?: string;
  /** The route's tool, from its route config: known before any guard, even when the request fails early. */
  tool?: string;
  /**
   * The client that authenticated on a route without a principal (the OAuth
   * token endpoints), for its log line, metrics and audit event.
   */
  clientId?: string;
  /** The tool's `auditPlain` fields (see ToolDefinition). */
  auditPlain?: readonly string[];
  upstream: UpstreamCall[];
  /** The response object before serialisation, kept so the audit need not parse the JSON again. */
  responseBody?: unknown;
  /** Set once the request's audit event is written (write tools do it inside their transaction). */
  audited: boolean;
  /**
   * Writes this request's audit event inside a business transaction, so the
   * event, the business row, the idempotency record and the outbox row commit
   * together. Installed by the audit recorder; `tx` is a Prisma transaction client.
   */
  auditInTransaction?: (tx: unknown, status: number, body: unknown) => Promise<void>;
}

export function newRequestContext(transport: RequestContext['transport'] = 'http'): RequestContext {
  return { startedAt: process.hrtime.bigint(), transport, upstream: [], audited: false };
}

export function elapsedMs(context: RequestContext): number {
  return Math.round(Number(process.hrtime.bigint() - context.startedAt) / 1e6);
}

/** The current request's context, for controllers to hand to services (connector calls, writes). */
export const CurrentContext = createParamDecorator(
  (_: unknown, host: ExecutionContext): RequestContext | undefined =>
    host.switchToHttp().getRequest<FastifyRequest>().ctx ?? undefined,
);

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
  interface FastifyContextConfig {
    /** Set by `@Tool()` on the route it declares. */
    tool?: string;
  }
}
