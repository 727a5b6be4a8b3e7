import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConnectorsHealthIndicator } from './connectors.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { GracefulShutdown } from './graceful-shutdown.service.js';
import { HealthController } from './health.controller.js';

/** Liveness, readiness and the HTTP drain on shutdown (docs/operations.md). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, ConnectorsHealthIndicator, GracefulShutdown],
  exports: [GracefulShutdown],
})
export class HealthModule {}
