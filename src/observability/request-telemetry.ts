import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { outcomeOf } from '../audit/audit-recorder.js';
import { isRefusedScrape, PROBE_PATH } from '../common/http/infrastructure-paths.js';
import { GatehouseMetrics } from '../metrics/gatehouse-metrics.service.js';

const MAX_PATH_LENGTH = 256;

export interface RequestLogLine {
  reqId: string;
  method: string;
  route: string;
  path: string;
  status: number;
  outcome: string;
  latencyMs: number;
  clientId?: string;
  tool?: string;
  transport?: string;
}

/**
 * One log line and one set of metrics per request, taken when the response
 * has been sent: only then are the caller, the tool, the upstream calls and
 * the final status (after the audit write) all known. Registered as Fastify
 * hooks from here, during module init and so before the routes are built.
 */
@Injectable()
export class RequestTelemetry implements OnModuleInit {
  private readonly logger = new Logger('HTTP');
  private readonly upstreamFailures = new WeakSet<FastifyRequest>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: GatehouseMetrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', (request, reply, payload, done) => {
      // The outcome of a 5xx depends on its problem code, which only the body carries.
      if (
        reply.statusCode >= 500 &&
        typeof payload === 'string' &&
        payload.includes('"upstream_unavailable"')
      ) {
        this.upstreamFailures.add(request);
      }
      done(null, payload);
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      this.complete(request, reply);
      done();
    });
  }

  complete(request: FastifyRequest, reply: FastifyReply): void {
    const ctx = request.ctx as FastifyRequest['ctx'] | null;
    const status = reply.statusCode;
    const route = ctx?.route ?? request.routeOptions.url ?? 'unmatched';
    const tool = ctx?.tool ?? '';
    const clientId = request.principal?.clientId ?? ctx?.clientId;
    const outcome =
      status >= 500
        ? this.upstreamFailures.has(request)
          ? 'upstream_error'
          : 'error'
        : outcomeOf(status, null);
    const latencyMs = reply.elapsedTime;
    this.metrics.recordRequest({
      method: request.method,
      route,
      tool,
      transport: ctx?.transport ?? 'http',
      status,
      outcome,
      clientId: clientId ?? '',
      seconds: latencyMs / 1000,
      upstream: ctx?.upstream ?? [],
    });
    const level = logLevelFor(request.url, status);
    if (!Logger.isLevelEnabled(level)) return;
    const line: RequestLogLine = {
      reqId: request.id,
      method: request.method,
      route,
      path: (request.url.split('?', 1)[0] ?? '').slice(0, MAX_PATH_LENGTH),
      status,
      outcome,
      latencyMs: Math.round(latencyMs * 100) / 100,
      ...(clientId ? { clientId } : {}),
      ...(tool ? { tool } : {}),
      ...(ctx ? { transport: ctx.transport } : {}),
    };
    this.logger[level](line, 'request completed');
  }
}

/** The Nest log level of a request's line. */
export function logLevelFor(url: string, status: number): 'debug' | 'log' | 'warn' {
  // Probes and scrapes would drown the API traffic; a refused scrape is logged like a refused call.
  if (PROBE_PATH.test(url) && !isRefusedScrape(url, status)) return 'debug';
  return status >= 500 ? 'warn' : 'log';
}
