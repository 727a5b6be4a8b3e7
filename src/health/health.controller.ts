import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { ConnectorsHealthIndicator } from './connectors.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { GracefulShutdown } from './graceful-shutdown.service.js';

@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly connectors: ConnectorsHealthIndicator,
    private readonly shutdown: GracefulShutdown,
  ) {}

  /** Liveness: the process answers. Deliberately checks nothing else, so a database outage never triggers restarts. */
  @Get('healthz')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database and every connector answer, and the process is not shutting down. */
  @Get('readyz')
  async ready(): Promise<HealthCheckResult> {
    if (this.shutdown.draining) {
      throw new GatehouseError('service_unavailable', {
        detail: 'Gatehouse is shutting down.',
        retryAfterSeconds: 5,
      });
    }
    const database = Promise.resolve(this.database.check());
    const databaseUp = database.then((r) => r.database.status === 'up');
    try {
      return await this.health.check([() => database, ...this.connectors.checks(databaseUp)]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw new GatehouseError('service_unavailable', {
        detail: `Not ready: ${down.join(', ') || 'a dependency'} down.`,
        retryAfterSeconds: 5,
      });
    }
  }
}
