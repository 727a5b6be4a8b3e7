import { Module } from '@nestjs/common';

/** Logs, metrics (SPEC §10). */
@Module({})
export class ObservabilityModule {}
