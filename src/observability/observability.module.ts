import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RequestTelemetry } from './request-telemetry.js';

/** Request logs and metrics (SPEC §10, docs/operations.md). */
@Module({
  imports: [MetricsModule],
  providers: [RequestTelemetry],
  exports: [MetricsModule],
})
export class ObservabilityModule {}
