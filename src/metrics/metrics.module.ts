import { Module } from '@nestjs/common';
import { GatehouseMetrics } from './gatehouse-metrics.service.js';
import { MetricsController } from './metrics.controller.js';

@Module({
  controllers: [MetricsController],
  providers: [GatehouseMetrics],
  exports: [GatehouseMetrics],
})
export class MetricsModule {}
