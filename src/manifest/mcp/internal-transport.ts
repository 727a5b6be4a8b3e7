import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const MARKER_HEADER = 'x-gatehouse-internal-transport';

/**
 * Marks the requests the MCP server injects into the app so their audit
 * events say `transport: mcp`. The marker is a random per-process secret,
 * so no outside caller can forge it; it is stripped before anything else
 * sees the request.
 */
@Injectable()
export class InternalTransport implements OnModuleInit {
  private readonly secret = randomBytes(32);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // Registered after createApp's own onRequest hook, which creates request.ctx.
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, _reply, done) => {
      this.mark(request);
      done();
    });
  }

  /** The header an injected MCP tool call carries. */
  headers(): Record<string, string> {
    return { [MARKER_HEADER]: this.secret.toString('base64url') };
  }

  private mark(request: FastifyRequest): void {
    const presented = request.headers[MARKER_HEADER];
    if (presented === undefined) return;
    delete request.headers[MARKER_HEADER];
    delete request.raw.headers[MARKER_HEADER];
    if (typeof presented !== 'string' || !request.ctx) return;
    const given = Buffer.from(presented, 'base64url');
    if (given.length === this.secret.length && timingSafeEqual(given, this.secret)) {
      request.ctx.transport = 'mcp';
    }
  }
}
