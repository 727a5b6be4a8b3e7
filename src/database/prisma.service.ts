import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from '../generated/sqlite/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SerializedSqliteAdapterFactory } from './serialized-sqlite.adapter.js';

/**
 * The one Prisma client of the process. Created by `createPrismaClient` so the
 * CLI and the server open the store the same way.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  private readonly logger = new Logger(PrismaService.name);

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ adapter: createAdapter(config) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    this.logger.log('database closed');
  }
}

export function createAdapter(config: Pick<AppConfig, 'database' | 'databaseUrl'>) {
  if (config.database !== 'sqlite') {
    throw new Error(
      'PostgreSQL storage is not available in this build yet; use a file: DATABASE_URL',
    );
  }
  return new SerializedSqliteAdapterFactory(config.databaseUrl);
}
