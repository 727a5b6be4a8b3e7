import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { INFRASTRUCTURE_PATH, METRICS_PATH } from '../common/http/infrastructure-paths.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ThrottlingService } from './throttling.service.js';

/**
 * Failed authentication per client IP (SPEC §7). Every 401 counts; once an IP
 * has used up its allowance, every API call from it is refused with 429 before
 * authentication runs — valid credentials included, so a guessed secret cannot
 * be confirmed — until the window resets. This has to sit in front of the
 * Nest guards (a Fastify hook), because the AuthGuard rejects before any
 * later guard could see the failure.
 */
@Injectable()
export class AuthFailureHooks implements OnModuleInit {
  /** With METRICS_TOKEN set, /metrics authenticates: a wrong token counts like a wrong API credential. */
  private readonly metricsGated: boolean;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly throttling: ThrottlingService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.metricsGated = config.metricsToken !== undefined;
  }

  onModuleInit(): void {
    // Fastify attaches root hooks to every route when it becomes ready, so adding them now still covers all routes.
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request) => {
      if (!this.gated(request)) return;
      const refusal = await this.throttling.authFailureGate(this.throttling.clientIp(request));
      if (refusal) throw this.throttling.rejection(refusal);
    });
    fastify.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode === 401 && this.gated(request)) {
        await this.throttling.recordAuthFailure(this.throttling.clientIp(request));
      }
      return payload;
    });
  }

  private gated(request: FastifyRequest): boolean {
    // Probes, docs and discovery never authenticate, so they stay reachable.
    const url = request.url;
    return !INFRASTRUCTURE_PATH.test(url) || (this.metricsGated && METRICS_PATH.test(url));
  }
}
