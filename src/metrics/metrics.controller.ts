import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GatehouseMetrics } from './gatehouse-metrics.service.js';
import { authorizeScrape } from './metrics-access.js';

/** Prometheus scrape endpoint (docs/operations.md). Guarded by METRICS_TOKEN, not by client credentials. */
@ApiExcludeController()
@Public()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: GatehouseMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  async scrape(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    authorizeScrape(
      { headers: request.headers, socketAddress: request.socket.remoteAddress },
      this.config.metricsToken,
    );
    const text = await this.metrics.render();
    void reply.type(this.metrics.contentType).header('cache-control', 'no-store');
    return text;
  }
}
