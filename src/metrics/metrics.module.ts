import { Module } from '@nestjs/common';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { GatehouseMetrics } from './gatehouse-metrics.service.js';
import { MetricsController } from './metrics.controller.js';

@Module({
  imports: [ThrottlingModule],
  controllers: [MetricsController],
  providers: [GatehouseMetrics],
  exports: [GatehouseMetrics],
})
export class MetricsModule {}
