import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { PrismaService } from '../database/prisma.service.js';

@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers. */
  @Get('readyz')
  async ready() {
    try {
      await this.prisma.$queryRawUnsafe('SELECT 1');
    } catch {
      throw new GatehouseError('service_unavailable', {
        detail: 'The database is not reachable.',
        retryAfterSeconds: 5,
      });
    }
    return { status: 'ok', checks: { database: 'up' } };
  }
}
