import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AdminModule } from './admin/admin.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ClientsModule } from './clients/clients.module.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { RouteTable } from './common/http/route-table.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import { ConfigModule, type CoreOptions } from './config/config.module.js';
import { ConnectorsModule } from './connectors/connectors.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { ToolsModule } from './tools/tools.module.js';
import { ThrottlingModule } from './throttling/throttling.module.js';
import { ManifestModule } from './manifest/manifest.module.js';
import { ObservabilityModule } from './observability/observability.module.js';

@Module({})
export class AppModule {
  static forRoot(options: CoreOptions & { routes: RouteTable }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options),
        DatabaseModule,
        AuditModule,
        ClientsModule,
        AuthModule,
        // After AuthModule: limits are per client, so the caller must be known first.
        ThrottlingModule,
        ConnectorsModule,
        IdempotencyModule,
        OutboxModule,
        ToolsModule,
        AdminModule,
        ManifestModule,
        ObservabilityModule,
        HealthModule,
      ],
      providers: [
        { provide: RouteTable, useValue: options.routes },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
